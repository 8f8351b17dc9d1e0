#!/usr/bin/env python3
"""Puts the imports of the kit's Java files in the order environment/checkstyle/checkstyle.xml checks:
static imports, then java.* / javax.*, then third-party, then calfkit.*, each group sorted and separated by one
blank line. Usage: environment/tools/sort-imports.py [--check] FILE|DIR ...  (--check: list files that differ, exit 1)."""
import os
import re
import sys

IMPORT = re.compile(r'^import (static )?([\w.]+(?:\.\*)?);\s*$')


def group(line):
    m = IMPORT.match(line)
    name = m.group(2)
    if m.group(1):
        return 0
    if name.startswith('java.') or name.startswith('javax.'):
        return 1
    if name.startswith('calfkit.'):
        return 3
    return 2


def sorted_source(text):
    lines = text.split('\n')
    first = next((i for i, l in enumerate(lines) if IMPORT.match(l)), None)
    if first is None:
        return text
    last = first
    for i in range(first, len(lines)):
        if IMPORT.match(lines[i]):
            last = i
        elif lines[i].strip():
            break
    imports = sorted({l.strip() for l in lines[first:last + 1] if IMPORT.match(l)},
                     key=lambda l: (group(l), IMPORT.match(l).group(2)))
    out = []
    for l in imports:
        if out and group(out[-1]) != group(l):
            out.append('')
        out.append(l)
    return '\n'.join(lines[:first] + out + lines[last + 1:])


def files(args):
    for a in args:
        if os.path.isdir(a):
            for root, _, names in os.walk(a):
                for n in sorted(names):
                    if n.endswith('.java'):
                        yield os.path.join(root, n)
        else:
            yield a


def main(argv):
    check = '--check' in argv
    differ = []
    for f in files([a for a in argv if a != '--check']):
        with open(f, encoding='utf-8') as h:
            text = h.read()
        new = sorted_source(text)
        if new != text:
            differ.append(f)
            if not check:
                with open(f, 'w', encoding='utf-8') as h:
                    h.write(new)
    for f in differ:
        print(('imports out of order: ' if check else 'sorted: ') + f)
    return 1 if check and differ else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
