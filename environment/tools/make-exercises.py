#!/usr/bin/env python3
"""Writes notebooks/10-exercises.ipynb and its worked solutions, notebooks/solutions/10-exercises.ipynb, from one
source, so that the two cannot drift apart: each exercise's task, the student's empty answer cell, the solution and
the check (calfkit.report.Exercises). Run after editing an exercise:  environment/tools/make-exercises.py"""
import json, pathlib
ROOT = pathlib.Path(__file__).resolve().parents[2]
def md(s): return {"cell_type": "markdown", "metadata": {}, "source": s.strip("\n").splitlines(True)}
def code(s): return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s.strip("\n").splitlines(True)}
def notebook(solved):
    load = "%load ../utils/calf-kit.jsh" if solved else "%load utils/calf-kit.jsh"
    title = "# 10 · Exercises" + (": worked solutions" if solved else "")
    cells = [md(f"""
{title}

Five short exercises on what notebooks 01–03 showed, for a teaching lab. Each has a cell for your answer and a
**check** cell after it that says ✓ right or ✗ not yet, with a hint. Nothing here trains a network: every cell
runs in seconds. The terms are in the [glossary](../docs/glossary.md); worked solutions are in
`notebooks/solutions/10-exercises.ipynb` (the test command executes them, so they stay correct).
""" + ("\nThis copy holds the worked solutions; its last cell fails unless every check passes." if solved else "")),
        code(load),
        code("Exercises EX = new Exercises();\nSliceIndex index = Datasets.open(SETTINGS);\n"
             "long[] areas = index.slices().stream().mapToLong(Slice::area).toArray();\n"
             "long[] tumourAreas = Arrays.stream(areas).filter(a -> a > 0).toArray();\n"
             "System.out.println(areas.length + \" masks, \" + tumourAreas.length + \" with tumour\");"),
        md("""
## 1 · The moments of the tumour areas

CALF chooses its transformation from the **skewness** S and the excess **kurtosis** K of the masks' tumour areas.
Compute both for the masks with tumour (`tumourAreas`), with loops or with NDArrays
(`manager.create(double[])`, `.sub`, `.pow`, `.mean`). Use the population moments: with mj the mean of
(area − mean)^j, S = m3 / m2^1.5 and K = m4 / m2² − 3.
"""),
        code("""
double s = Double.NaN, k = Double.NaN;   // your answer
""" if not solved else """
double[] x = Arrays.stream(tumourAreas).asDoubleStream().toArray();
double mean = Arrays.stream(x).average().orElseThrow();
double m2 = Arrays.stream(x).map(v -> Math.pow(v - mean, 2)).average().orElseThrow();
double m3 = Arrays.stream(x).map(v -> Math.pow(v - mean, 3)).average().orElseThrow();
double m4 = Arrays.stream(x).map(v -> Math.pow(v - mean, 4)).average().orElseThrow();
double s = m3 / Math.pow(m2, 1.5), k = m4 / (m2 * m2) - 3;
System.out.printf("S = %.4f, K = %.4f%n", s, k);
"""),
        code("EX.moments(tumourAreas, s, k);"),
        md("""
## 2 · Which branch?

Read Table 2 (notebook 02) and give the branch for your S and K, then for the moments of **all** masks, empty
ones included (the kit's default, and what the authors' code does). `AreaDistribution.of(areas, EmptyMasks.INCLUDE)`
gives those moments. What does the second answer mean for CALF on a dataset with many tumour-free slices?
"""),
        code("show(Charts.branchPlane(Map.of(), \"Table 2 in the (S, K) plane (published regions): where do your S and K fall?\"));"),
        code("""
Branch tumourOnly = null;        // your answer, e.g. Branch.ARCSINE
Branch withEmpty = null;         // your answer
AreaDistribution all = AreaDistribution.of(areas, EmptyMasks.INCLUDE);
""" if not solved else """
Branch tumourOnly = Rule.select(s, k).branch();
AreaDistribution all = AreaDistribution.of(areas, EmptyMasks.INCLUDE);
Branch withEmpty = Rule.select(all.skewness(), all.kurtosis()).branch();
System.out.println(tumourOnly + " / " + withEmpty + ": the spike of empty masks at area 0 makes the areas right-skewed");
"""),
        code("EX.branch(\"tumour masks\", s, k, tumourOnly);\nEX.branch(\"all masks\", all.skewness(), all.kurtosis(), withEmpty);"),
        md("""
## 3 · Log10 is BCE divided by a constant

Make a batch of logits and masks, compute `new Log10Loss()` and `new BceLoss()` on it (`fromLogits`), and give
their ratio. Adam divides each step by a running estimate of the gradient's size, so a loss multiplied by a
constant trains the same up to Adam's ε: what does that say about a CALF run that picked Log10?
"""),
        code("""
double ratio = Double.NaN;   // your answer
""" if not solved else """
double ratio;
try (NDManager m = NDManager.newBaseManager()) {
    NDArray logits = m.randomNormal(new Shape(4, 1, 16, 16)).mul(2);
    NDArray masks = m.randomUniform(0, 1, new Shape(4, 1, 16, 16)).gt(0.7).toType(DataType.FLOAT32, false);
    ratio = new Log10Loss().fromLogits(logits, masks).getFloat() / new BceLoss().fromLogits(logits, masks).getFloat();
}
System.out.printf("Log10 / BCE = %.6f, 1 / ln 10 = %.6f%n", ratio, 1 / Math.log(10));
"""),
        code("EX.log10OverBce(ratio);"),
        md("""
## 4 · A dataset for the Fisher branch

Table 2 picks the Fisher transformation for S ≤ −1. Write down tumour areas (at least three masks, none empty)
whose distribution makes the rule pick it. `TumourAreas.forRule(Rule.FISHER_S_LE_MINUS_1, …)` is how the kit's
phantom does it (notebook 02); here, do it by hand.
"""),
        code("""
long[] fisherAreas = {};   // your answer
""" if not solved else """
long[] fisherAreas = {100, 98, 99, 97, 100, 96, 20, 10, 99, 100};   // most near the largest, a few much smaller
"""),
        code("EX.fisherAreas(fisherAreas);"),
        md(f"""
## 5 · Write a loss

A loss in the kit is a small class: a `SegmentationLoss` whose `fromProbabilities(p, y)` returns one number (the
base class turns logits into clamped probabilities). Write a **weighted BCE** that counts each tumour pixel's term
{int(3)} times: L = −mean[3·y·ln p + (1 − y)·ln(1 − p)]. It could then train like any other
(`calf train --loss`, after one line in the `Loss` registry: docs/extending.md).
"""),
        code("""
SegmentationLoss weightedBce = null;   // your answer: new SegmentationLoss("weighted BCE") { ... }
""" if not solved else """
SegmentationLoss weightedBce = new SegmentationLoss("weighted BCE") {
    public NDArray fromProbabilities(NDArray p, NDArray y) {
        NDArray tumour = y.mul(p.log()).mul(Exercises.POSITIVE_WEIGHT);
        NDArray background = y.neg().add(1).mul(p.neg().add(1).log());
        return tumour.add(background).mean().neg();
    }
};
"""),
        code("EX.weightedBce(weightedBce);"),
        md("## Your score"),
        code("show(EX.table());" + ("\nEX.requireAllRight();" if solved else "")),
    ]
    return {"cells": cells, "metadata": {"kernelspec": {"display_name": "Java (CALF Kit)", "language": "java", "name": "calf-java"},
            "language_info": {"name": "java", "file_extension": ".jshell", "mimetype": "text/x-java-source"}}, "nbformat": 4, "nbformat_minor": 5}
json.dump(notebook(False), open(ROOT / "notebooks/10-exercises.ipynb", "w"), indent=1, ensure_ascii=False)
json.dump(notebook(True), open(ROOT / "notebooks/solutions/10-exercises.ipynb", "w"), indent=1, ensure_ascii=False)
