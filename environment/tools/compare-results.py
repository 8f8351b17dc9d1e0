#!/usr/bin/python3
"""Compares two results folders of the main job run by run: was the change a change of behaviour?

    environment/tools/compare-results.py results/quick-A results/quick-B

For every run folder of A (one holding test-metrics.json): its test-metrics.json byte for byte, and its metrics.csv
but for the seconds column (wall time differs from job to job); then every grid results table of A (a CSV outside
the run folders with a 'source' column) byte for byte. Prints the counts and the first differences; exits 1 on any.
"""
import pathlib
import sys


def without_seconds(path):
    lines = path.read_text().splitlines()
    i = lines[0].split(",").index("seconds")
    return [",".join(f for k, f in enumerate(line.split(",")) if k != i) for line in lines]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = map(pathlib.Path, sys.argv[1:3])
    diffs = []
    runs = sorted(p.parent.relative_to(a) for p in a.rglob("test-metrics.json"))
    json_same = csv_same = 0
    for r in runs:
        if not (b / r / "test-metrics.json").is_file():
            diffs.append(f"{r}: not in {b}")
            continue
        if (a / r / "test-metrics.json").read_bytes() == (b / r / "test-metrics.json").read_bytes():
            json_same += 1
        else:
            diffs.append(f"{r}/test-metrics.json differs")
        if without_seconds(a / r / "metrics.csv") == without_seconds(b / r / "metrics.csv"):
            csv_same += 1
        else:
            diffs.append(f"{r}/metrics.csv differs")
    tables = sorted(p.relative_to(a) for p in a.rglob("*.csv")
                    if "runs" not in p.relative_to(a).parts and "source" in p.open().readline().strip().split(","))
    tables_same = 0
    for t in tables:
        if not (b / t).is_file():
            diffs.append(f"{t}: not in {b}")
        elif (a / t).read_bytes() == (b / t).read_bytes():
            tables_same += 1
        else:
            diffs.append(f"{t} differs")
    print(f"{len(runs)} runs: test-metrics.json equal {json_same}, metrics.csv equal but for seconds {csv_same}; "
          f"{len(tables)} grid results tables: identical {tables_same}")
    print("\n".join(diffs[:20]))
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
