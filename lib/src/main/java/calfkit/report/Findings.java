package calfkit.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tech.tablesaw.api.Table;

import calfkit.experiments.BranchStudy;
import calfkit.metrics.TrainingsComparison;
import calfkit.stats.EmptyMasks;

/**
 * What a results notebook found, in words written from its own computed tables, so that the text cannot go stale:
 * each published claim, the kit's verdict and the numbers behind it. Verdict words ("better", "worse") come only
 * from comparisons across at least {@value TrainingsComparison#MIN_SEEDS} trainings a side
 * ({@link TrainingsComparison}); with fewer the text says the trainings differ and that no verdict is possible.
 */
public final class Findings {

    private Findings() {
    }

    /**
     * One published claim against a comparison table ({@code GridResults.comparisons}: model, against, trainings,
     * Δ DSC, the interval, Holm p, verdict): "Published: CLAIM. Measured here: …" with one clause per comparison.
     *
     * @param claim     the published claim, with its source ("CALF ≥ BCE and Focal on every model (Table 4)")
     * @param reference the loss the table compares with the others ("CALF")
     */
    public static String claim(String claim, String reference, Table comparisons) {
        List<String> clauses = new ArrayList<>();
        int decided = 0;
        int better = 0;
        int worse = 0;
        for (int r = 0; r < comparisons.rowCount(); r++) {
            String other = comparisons.stringColumn("against").get(r);
            String model = comparisons.stringColumn(0).get(r);
            int seeds = comparisons.intColumn("trainings").get(r);
            double d = comparisons.doubleColumn("Δ DSC").getDouble(r);
            String verdict = comparisons.stringColumn("verdict").get(r);
            String where = model.isEmpty() ? "" : model + ", ";
            if (seeds < TrainingsComparison.MIN_SEEDS) {
                clauses.add(String.format(Locale.ROOT, "%sagainst %s %+.4f", where, other, d));
            } else {
                decided++;
                better += verdict.contains(" better than ") ? 1 : 0;
                worse += verdict.contains(" worse than ") ? 1 : 0;
                clauses.add(String.format(Locale.ROOT, "%sagainst %s %+.4f (95 %% %+.4f to %+.4f): %s", where, other, d,
                        comparisons.doubleColumn("95% low").getDouble(r), comparisons.doubleColumn("95% high").getDouble(r),
                        verdict.replaceAll(" \\(\\d+ trainings a side\\)", "")));
            }
        }
        int seeds = comparisons.rowCount() == 0 ? 0 : comparisons.intColumn("trainings").get(0);
        StringBuilder sb = new StringBuilder("Published: ").append(claim).append(".\nMeasured here (pooled test DSC, ")
                .append(reference).append(" − other, mean over ").append(seeds).append(" training")
                .append(seeds == 1 ? "" : "s").append(" a side): ").append(String.join("; ", clauses)).append(".\n");
        if (decided == 0) {
            sb.append(String.format(Locale.ROOT, "Verdict: none. %d training%s a side cannot tell a loss's effect from the "
                    + "spread between trainings (a verdict needs at least %d); these numbers describe these trainings only.",
                    seeds, seeds == 1 ? "" : "s", TrainingsComparison.MIN_SEEDS));
        } else {
            sb.append(String.format(Locale.ROOT, "Verdict across trainings: %s better in %d of %d comparisons, worse in %d, "
                    + "no difference resolved in %d.", reference, better, decided, worse, decided - better - worse));
        }
        return sb.toString();
    }

    /** Notebook 09's findings: the identity control, then the branch study's verdicts under both mask counts. */
    public static String hypothesis(Table identity, List<BranchStudy.Verdict> verdicts) {
        StringBuilder sb = new StringBuilder();
        int seeds = identity.rowCount() == 0 ? 0 : identity.intColumn("trainings").get(0);
        sb.append(String.format(Locale.ROOT, "The identity (%d trainings a side, pooled test DSC against BCE): ", seeds));
        List<String> parts = new ArrayList<>();
        boolean anyResolved = false;
        for (int r = 0; r < identity.rowCount(); r++) {
            String what = identity.stringColumn(0).get(r);
            String verdict = identity.stringColumn("verdict").get(r);
            anyResolved |= verdict.contains(" better than ") || verdict.contains(" worse than ");
            parts.add(String.format(Locale.ROOT, "%s vs %s %+.4f (95 %% %+.4f to %+.4f, %s)", what,
                    identity.stringColumn("against").get(r), identity.doubleColumn("Δ DSC").getDouble(r),
                    identity.doubleColumn("95% low").getDouble(r), identity.doubleColumn("95% high").getDouble(r),
                    verdict.replaceAll(" \\(\\d+ trainings a side\\)", "")));
        }
        sb.append(String.join("; ", parts)).append(".\n");
        if (seeds < TrainingsComparison.MIN_SEEDS) {
            sb.append("With fewer than 3 trainings a side no verdict is possible.\n");
        } else if (!anyResolved) {
            double widest = 0;
            for (int r = 0; r < identity.rowCount(); r++) {
                widest = Math.max(widest, Math.max(Math.abs(identity.doubleColumn("95% low").getDouble(r)),
                        Math.abs(identity.doubleColumn("95% high").getDouble(r))));
            }
            sb.append(String.format(Locale.ROOT, "So no difference between CALF's Log10 branch and BCE is resolved here: "
                    + "neither Adam's ε × ln 10 nor the clamp moves test DSC beyond the variation between trainings. The "
                    + "intervals reach ±%.3f, so an effect smaller than that is neither shown nor excluded; with that "
                    + "proviso a CALF run that picked Log10 or Natural log is a BCE run.%n", widest));
        } else {
            sb.append("At least one of the two mechanisms moves test DSC beyond the variation between trainings: the rows "
                    + "above say which (Adam's ε alone, the clamp alone, or both).\n");
        }
        Map<EmptyMasks, Map<String, List<String>>> byWord = new LinkedHashMap<>();
        byWord.put(EmptyMasks.EXCLUDE, new LinkedHashMap<>());  // the rule on tumour masks first: each phantom in its row
        for (BranchStudy.Verdict v : verdicts) {
            byWord.computeIfAbsent(v.masks(), k -> new LinkedHashMap<>()).computeIfAbsent(v.word(), k -> new ArrayList<>())
                    .add(v.region().condition() + " (" + v.evidence() + (v.collapsed() == 0 ? "" : "; the pick collapsed in "
                            + v.collapsed() + " of " + v.seeds() + " trainings") + ")");
        }
        int regions = (int) verdicts.stream().filter(v -> v.masks() == EmptyMasks.EXCLUDE).count();
        int studySeeds = verdicts.isEmpty() ? 0 : verdicts.get(0).seeds();
        sb.append(String.format(Locale.ROOT, "The branch study (%d regions, %d trainings a loss): ", regions, studySeeds));
        for (Map.Entry<EmptyMasks, Map<String, List<String>>> e : byWord.entrySet()) {
            sb.append(e.getKey() == EmptyMasks.EXCLUDE ? "with empty masks left out (each phantom in its row), the rule's "
                    + "pick was " : "With empty masks counted (the rule then picks Log10 or Natural log everywhere), its "
                    + "pick was ");
            List<String> counts = new ArrayList<>();
            for (String word : List.of("best", "not resolved", "worse", "undecided")) {
                List<String> where = e.getValue().getOrDefault(word, List.of());
                if (!where.isEmpty()) {
                    counts.add(word + " in " + where.size() + (e.getKey() == EmptyMasks.EXCLUDE ? " (" + String.join("; ",
                            where) + ")" : ""));
                }
            }
            sb.append(String.join(", ", counts)).append(".\n");
        }
        long best = verdicts.stream().filter(v -> v.masks() == EmptyMasks.EXCLUDE && v.word().equals("best")).count();
        long worse = verdicts.stream().filter(v -> v.masks() == EmptyMasks.EXCLUDE && v.word().equals("worse")).count();
        if (studySeeds >= TrainingsComparison.MIN_SEEDS) {
            sb.append(best == regions ? "The rule picked the best transformation in every region: the hypothesis holds here."
                    : worse > 0 ? String.format(Locale.ROOT, "The rule's pick lost to another loss in %d of %d regions: "
                    + "on these phantoms the hypothesis does not hold as stated.", worse, regions)
                    : String.format(Locale.ROOT, "The rule's pick was never beaten across trainings, but it beat every "
                    + "alternative in only %d of %d regions: on these phantoms the trainings cannot tell the rule's pick "
                    + "from the best other loss, so the rule is not shown to matter.", best, regions));
            long collapses = verdicts.stream().filter(v -> v.masks() == EmptyMasks.EXCLUDE).mapToInt(BranchStudy.Verdict::collapsed)
                    .sum();
            if (collapses > 0) {
                sb.append(String.format(Locale.ROOT, " The rule's own picks collapsed to a degenerate prediction in %d "
                        + "trainings (table above): a cost of choosing an unbounded transformation that the mean hides.",
                        collapses));
            }
        } else {
            sb.append("With fewer than 3 trainings a loss no verdict is possible.");
        }
        return sb.toString();
    }

    /**
     * Which branch the CALF runs of a results table chose ({@code calf_branch}), and what that makes CALF there: for
     * Log10 or Natural log, BCE up to a constant (notebook 09 measures whether that constant matters).
     */
    public static String calfBranches(Table runs) {
        Map<String, Integer> branches = new LinkedHashMap<>();
        for (int r = 0; r < runs.rowCount(); r++) {
            if (runs.stringColumn("loss").get(r).equals("CALF")) {
                branches.merge(runs.stringColumn("calf_branch").get(r), 1, Integer::sum);
            }
        }
        if (branches.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        branches.forEach((b, n) -> parts.add(n + " chose " + b));
        boolean logOnly = branches.keySet().stream().allMatch(b -> b.equals("Log10") || b.equals("Natural log"));
        return "CALF's branch, from the training set's areas (measured): " + String.join(", ", parts) + "."
                + (logOnly ? " Log10 is BCE / ln 10 and Natural log is BCE, both on clamped probabilities: here CALF − BCE "
                + "compares BCE with itself up to Adam's ε and the clamp (notebook 09 measures whether they matter)." : "");
    }

    /**
     * The annotation-bias finding from {@code AnnotationStudy.compare}: each loss's DSC against the polygons it
     * learned from and against the true tumours, and how much it over-segments the true tumours.
     */
    public static String annotation(Table compare) {
        List<String> parts = new ArrayList<>();
        Map<String, double[]> byLoss = new LinkedHashMap<>();
        for (int r = 0; r < compare.rowCount(); r++) {
            double[] v = byLoss.computeIfAbsent(compare.stringColumn("loss").get(r), k -> new double[5]);
            v[0] += compare.doubleColumn("dsc_truth").getDouble(r);
            v[1] += compare.doubleColumn("predicted / true area").getDouble(r);
            v[2] += compare.doubleColumn("annotated / true area").getDouble(r);
            v[3] += 1;
        }
        byLoss.forEach((loss, v) -> parts.add(String.format(Locale.ROOT, "%s DSC %.4f against the true tumours, "
                + "predicted / true area %.2f", loss, v[0] / v[3], v[1] / v[3])));
        double annotated = byLoss.values().stream().mapToDouble(v -> v[2] / v[3]).average().orElse(Double.NaN);
        int seeds = byLoss.values().stream().mapToInt(v -> (int) v[3]).min().orElse(0);
        return String.format(Locale.ROOT, "Published: CALF is less affected by rough (polygon) annotations than BCE. Measured "
                + "here on the polygon phantom (the polygons cover %.2f× the true area; %d training%s a loss): %s. %s",
                annotated, seeds, seeds == 1 ? "" : "s", String.join("; ", parts), seeds < TrainingsComparison.MIN_SEEDS
                ? "With fewer than 3 trainings a loss these numbers describe these trainings, not the losses: no verdict."
                : "");
    }

    /**
     * Notebook 08's findings: how far the authors' per-batch reduction moves one set of predictions against the gaps
     * between losses, and what the authors' conventions do to the ranking.
     *
     * @param reductions  {@code ProtocolStudy.reductions}
     * @param conventions {@code ProtocolStudy.conventions}
     */
    public static String protocols(Table reductions, Table conventions) {
        StringBuilder sb = new StringBuilder();
        double widest = 0;
        String widestLoss = "";
        List<double[]> byPooled = new ArrayList<>();
        for (int r = 0; r < reductions.rowCount(); r++) {
            double spread = reductions.doubleColumn("shuffled: highest").getDouble(r)
                    - reductions.doubleColumn("shuffled: lowest").getDouble(r);
            if (spread > widest) {
                widest = spread;
                widestLoss = reductions.stringColumn("loss").get(r);
            }
            byPooled.add(new double[] {reductions.doubleColumn("per batch, shuffled: mean").getDouble(r), spread});
        }
        byPooled.sort((a, b) -> Double.compare(b[0], a[0]));
        int gaps = byPooled.size() - 1;
        int smaller = 0;
        for (int i = 0; i < gaps; i++) {
            double gap = byPooled.get(i)[0] - byPooled.get(i + 1)[0];
            smaller += gap < Math.min(byPooled.get(i)[1], byPooled.get(i + 1)[1]) ? 1 : 0;
        }
        sb.append(String.format(Locale.ROOT, "The authors' per-batch DSC depends on which test slices share a batch: over "
                + "shuffled test orders one set of predictions spans up to %.4f (%s); %d of the %d gaps between neighbouring "
                + "losses in that reduction are smaller than the spread of both losses beside them%s.%n", widest, widestLoss,
                smaller, gaps, smaller == 0 ? "" : ", so in that reduction those neighbours' order cannot be read to the "
                + "third decimal"));
        List<String> moved = new ArrayList<>();
        for (int r = 0; r < conventions.rowCount(); r++) {
            int kit = conventions.intColumn("rank, kit's").get(r);
            int authors = conventions.intColumn("rank, authors'").get(r);
            if (kit != authors) {
                moved.add(String.format(Locale.ROOT, "%s %d → %d", conventions.stringColumn("loss").get(r), kit, authors));
            }
        }
        sb.append(moved.isEmpty() ? "The authors' loss conventions leave the ranking as it is."
                : "In the authors' loss conventions the ranking moves (rank in the kit's → the authors'): "
                + String.join(", ", moved) + ". So part of the published ranking is the comparison losses' conventions "
                + "(per-image Dice, IoU and Tversky pass no gradient from tumour-free slices), not the losses themselves;"
                + " each such change rests on the trainings in the table above, and with fewer than 3 a loss it is "
                + "described, not decided.");
        return sb.toString();
    }

    /**
     * What per-batch CALF trains as, from {@code DatasetTables.perBatchAsRuns}: per tumour ratio, the share of batches
     * whose branch is BCE up to a constant (Log10, Natural log), BCE-Dice, and any other.
     */
    public static String perBatch(Table asRuns) {
        Map<String, double[]> byRatio = new LinkedHashMap<>();
        for (int r = 0; r < asRuns.rowCount(); r++) {
            double[] v = byRatio.computeIfAbsent(asRuns.stringColumn("tumour ratio").get(r), k -> new double[3]);
            String b = asRuns.stringColumn("branch").get(r);
            double share = asRuns.doubleColumn("share").getDouble(r);
            v[b.equals("Log10") || b.equals("Natural log") ? 0 : b.equals("BCE-Dice") ? 1 : 2] += share;
        }
        List<String> parts = new ArrayList<>();
        byRatio.forEach((ratio, v) -> parts.add(String.format(Locale.ROOT, "at ratio %s, %.0f %% of the batches train "
                + "with BCE up to a constant (Log10 or Natural log), %.0f %% with BCE-Dice and %.0f %% with another "
                + "transformation", ratio, 100 * v[0], 100 * v[1], 100 * v[2])));
        double bceShare = byRatio.values().stream().mapToDouble(v -> v[0]).min().orElse(0);
        return "Per-batch CALF as the authors run it (measured on the batches a run draws): " + String.join("; ", parts)
                + (bceShare >= 0.5 ? ". So in practice per-batch CALF trains as BCE, rescaled by 1 or 1 / ln 10 from batch "
                + "to batch, on most of its steps." : ". So per-batch CALF switches transformation often enough that it is "
                + "not BCE in practice.");
    }

    /**
     * Notebook 07's A-FL ablation in words, from its runs' table (columns loss, sensitivity, precision; labels as
     * {@code Losses.label}): the precision and sensitivity of focal loss, of the variants with α_va, and of the one
     * without it, so that the reader sees whether α_va's near-weightless background went with over-prediction.
     * One training each: described, no verdict.
     */
    public static String aflAblation(Table runs) {
        StringBuilder sb = new StringBuilder("Measured here (one training each, so no verdict): ");
        List<String> alpha = new ArrayList<>();
        int lowerPrecision = 0;
        int higherSensitivity = 0;
        double focalPrecision = Double.NaN;
        double focalSensitivity = Double.NaN;
        for (int r = 0; r < runs.rowCount(); r++) {
            if (runs.stringColumn("loss").get(r).equals("Focal")) {
                focalPrecision = runs.numberColumn("precision").getDouble(r);
                focalSensitivity = runs.numberColumn("sensitivity").getDouble(r);
            }
        }
        for (int r = 0; r < runs.rowCount(); r++) {
            String loss = runs.stringColumn("loss").get(r);
            double p = runs.numberColumn("precision").getDouble(r);
            double se = runs.numberColumn("sensitivity").getDouble(r);
            String text = String.format(Locale.ROOT, "%s precision %.3f, sensitivity %.3f", loss, p, se);
            if (loss.equals("Focal")) {
                sb.append(text).append("; ");
            } else if (loss.equals("A-FL") || loss.startsWith("A-FL α")) {
                alpha.add(text);
                lowerPrecision += p < focalPrecision ? 1 : 0;
                higherSensitivity += se > focalSensitivity ? 1 : 0;
            } else {
                sb.append("without α_va, ").append(text).append("; ");
            }
        }
        sb.append("with α_va, ").append(String.join("; ", alpha)).append(String.format(Locale.ROOT,
                ". Of the %d variants with α_va, %d have a lower precision than focal loss and %d a higher sensitivity",
                alpha.size(), lowerPrecision, higherSensitivity));
        sb.append(lowerPrecision == alpha.size() && !alpha.isEmpty()
                ? ": they predict tumour where there is none, as a near-weightless background lets them."
                : ": the over-prediction that α_va's weights allow does not show in every one of these runs.");
        return sb.toString();
    }
}
