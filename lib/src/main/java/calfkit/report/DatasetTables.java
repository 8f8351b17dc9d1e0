package calfkit.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.commons.math3.stat.descriptive.rank.Median;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import calfkit.data.EpochSampler;
import calfkit.data.PatientSplit;
import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.stats.AreaDistribution;
import calfkit.stats.Branch;
import calfkit.stats.BranchDecision;
import calfkit.stats.ContourArea;
import calfkit.stats.EmptyMasks;
import calfkit.stats.Rule;
import calfkit.train.TrainConfig;

/** Tables about a dataset for the notebooks; every number measured by this kit on the dataset at hand. */
public final class DatasetTables {

    private DatasetTables() {
    }

    /** Patients, slices, tumour and empty slices and the tumour ratio of each side of a split. */
    public static Table splits(PatientSplit split) {
        StringColumn side = StringColumn.create("split", "train", "test");
        IntColumn patients = IntColumn.create("patients", split.trainPatients().size(), split.testPatients().size());
        IntColumn slices = IntColumn.create("slices", split.train().size(), split.test().size());
        int trainT = (int) split.train().stream().filter(Slice::tumour).count();
        int testT = (int) split.test().stream().filter(Slice::tumour).count();
        IntColumn tumour = IntColumn.create("tumour slices", trainT, testT);
        IntColumn empty = IntColumn.create("empty slices", split.train().size() - trainT, split.test().size() - testT);
        DoubleColumn ratio = DoubleColumn.create("tumour ratio", (double) trainT / split.train().size(),
                (double) testT / split.test().size());
        return Table.create("patient-level split (measured)", side, patients, slices, tumour, empty, ratio);
    }

    /**
     * What A-FL's α_va (the background share of each mask: {@code AdaptiveFocalLoss}, per 2D slice here) makes of a
     * training sample's pixels: the foreground weight α_va, the background weight 1 − α_va and their ratio (what a
     * false-positive pixel costs against a missed tumour pixel, before the focusing term), for the tumour-free
     * slices (α_va = 1: a false positive there costs nothing) and the tumour slices (median over them), beside
     * focal loss's fixed α = 0.25. From the index's areas; no mask is read.
     */
    public static Table aflWeights(List<Slice> sample) {
        List<Slice> tumour = sample.stream().filter(Slice::tumour).toList();
        double median = new Median().evaluate(tumour.stream()
                .mapToDouble(s -> 1 - (double) s.area() / ((long) s.width() * s.height())).toArray());
        int empty = sample.size() - tumour.size();
        return Table.create("A-FL's α_va on this training sample, per slice (measured), beside focal loss's α",
                StringColumn.create("slices", "tumour-free (A-FL)", "with tumour, median (A-FL)", "any (focal, α = 0.25)"),
                IntColumn.create("count", empty, tumour.size(), sample.size()),
                DoubleColumn.create("share", (double) empty / sample.size(), (double) tumour.size() / sample.size(), 1.0),
                DoubleColumn.create("foreground weight", 1.0, median, 0.25),
                DoubleColumn.create("background weight", 0.0, 1 - median, 0.75),
                DoubleColumn.create("background / foreground", 0.0, (1 - median) / median, 3.0));
    }

    /** The area statistics and CALF branch with empty masks included and excluded. */
    public static Table statistics(long[] areas, String name) {
        StringColumn policy = StringColumn.create("empty masks");
        IntColumn n = IntColumn.create("n");
        DoubleColumn mean = DoubleColumn.create("mean");
        DoubleColumn std = DoubleColumn.create("σ");
        DoubleColumn skew = DoubleColumn.create("skewness S");
        DoubleColumn kurt = DoubleColumn.create("kurtosis K");
        StringColumn branch = StringColumn.create("CALF branch");
        StringColumn rule = StringColumn.create("rule");
        for (EmptyMasks e : EmptyMasks.values()) {
            BranchDecision d = BranchDecision.of(AreaDistribution.of(areas, e));
            policy.append(e == EmptyMasks.INCLUDE ? "included (paper's wording)" : "excluded");
            n.append(d.distribution().n());
            mean.append(d.distribution().mean());
            std.append(d.distribution().std());
            skew.append(d.skewness());
            kurt.append(d.kurtosis());
            branch.append(d.branch().label());
            rule.append(d.rule().condition());
        }
        return Table.create(name + " (measured)", policy, n, mean, std, skew, kurt, branch, rule);
    }

    /**
     * CALF's per-batch scope on a training set: the branch chosen for each of its batches (areas from the
     * index, shuffled with a seed), counted, with how often it changes from one batch to the next.
     */
    public static Table perBatchBranches(List<Slice> train, int batch, long seed, EmptyMasks empty) {
        List<Slice> shuffled = new ArrayList<>(train);
        java.util.Collections.shuffle(shuffled, new Random(seed));
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Rule r : Rule.values()) {
            counts.put(r.branch().label() + " (" + r.condition() + ")", 0);
        }
        int changes = 0;
        String previous = null;
        int batches = 0;
        for (int from = 0; from + batch <= shuffled.size(); from += batch) {
            long[] areas = shuffled.subList(from, from + batch).stream().mapToLong(Slice::area).toArray();
            BranchDecision d = BranchDecision.of(areas, empty);
            String key = d.branch().label() + " (" + d.rule().condition() + ")";
            counts.merge(key, 1, Integer::sum);
            if (previous != null && !previous.equals(d.branch().label())) {
                changes++;
            }
            previous = d.branch().label();
            batches++;
        }
        StringColumn rule = StringColumn.create("branch (rule)");
        IntColumn n = IntColumn.create("batches");
        DoubleColumn share = DoubleColumn.create("share");
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > 0) {
                rule.append(e.getKey());
                n.append(e.getValue());
                share.append((double) e.getValue() / batches);
            }
        }
        return Table.create(String.format("per-batch CALF over %d batches of %d: the branch changed %d times (%.0f%%) "
                + "(measured)", batches, batch, changes, batches > 1 ? 100.0 * changes / (batches - 1) : 0), rule, n, share);
    }

    /** The distribution and branch of a dataset from its index. */
    public static BranchDecision decision(SliceIndex index, EmptyMasks empty) {
        return BranchDecision.of(AreaDistribution.of(index.areas(), empty));
    }

    /**
     * {@link #perBatchAsRun} for runs of the CALF authors' protocol ({@code calf} per batch on contour areas) with
     * FPN at each tumour ratio, the plan's first seed, one table.
     */
    public static Table perBatchAsRuns(SliceIndex index, calfkit.config.Scale scale, double... ratios) throws IOException {
        calfkit.experiments.ExperimentPlan plan = calfkit.experiments.ExperimentPlan.forScale(scale,
                calfkit.config.Protocol.AUTHORS);
        Table all = null;
        for (double r : ratios) {
            Table t = perBatchAsRun(index, plan.config("fpn", "calf", r, plan.seeds().get(0)));
            all = all == null ? t : all.append(t);
        }
        all.setName("CALF per batch as the authors' code chooses (RETR_TREE contour areas, empty masks included), over "
                + "every batch an authors-protocol FPN run draws at each ratio (measured)");
        return all;
    }

    /**
     * CALF per batch as a run of {@code config} draws its batches: every batch of every planned epoch, in the run's
     * order ({@link EpochSampler}, stratified where the recipe stratifies), each batch's branch chosen as the CALF
     * authors' code chooses it ({@code calf-authors}: OpenCV {@code RETR_TREE} contour areas of every mask, empty ones
     * included, {@link ContourArea}). One row per branch taken: batches and their share.
     */
    public static Table perBatchAsRun(SliceIndex index, TrainConfig config) throws IOException {
        List<Slice> sample = config.data(index).sample().slices();
        EpochSampler sampler = new EpochSampler(config.seed(), config.slicesPerEpoch(), config.batch(),
                config.effectiveRecipe().stratifiedBatches(), config.keepsLastBatch());
        Map<Slice, Double> contour = new java.util.HashMap<>();
        calfkit.image.png.PngReader reader = new calfkit.image.png.PngReader();
        Map<Branch, Integer> counts = new java.util.EnumMap<>(Branch.class);
        int batches = 0;
        int changes = 0;
        Branch previous = null;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            List<Long> drawn = sampler.order(sample.size(), epoch);
            List<List<Long>> order = sampler.batches(drawn, i -> sample.get(Math.toIntExact(i)).area() > 0, epoch);
            for (List<Long> b : order) {
                double[] areas = new double[b.size()];
                for (int k = 0; k < b.size(); k++) {
                    Slice s = sample.get(Math.toIntExact(b.get(k)));
                    Double a = contour.get(s);
                    if (a == null) {
                        byte[] m = reader.read(index.maskPath(s));
                        for (int j = 0; j < m.length; j++) {
                            m[j] = (byte) (m[j] != 0 ? 1 : 0);
                        }
                        a = s.area() == 0 ? 0.0 : ContourArea.of(m, reader.width(), reader.height());
                        contour.put(s, a);
                    }
                    areas[k] = a;
                }
                Branch branch = BranchDecision.of(AreaDistribution.of(areas, EmptyMasks.INCLUDE)).branch();
                counts.merge(branch, 1, Integer::sum);
                changes += previous != null && previous != branch ? 1 : 0;
                previous = branch;
                batches++;
            }
        }
        StringColumn ratio = StringColumn.create("tumour ratio");
        StringColumn branch = StringColumn.create("branch");
        IntColumn n = IntColumn.create("batches");
        DoubleColumn share = DoubleColumn.create("share");
        String r = Double.isNaN(config.ratio()) ? "natural" : String.format(java.util.Locale.ROOT, "%.3g", config.ratio());
        for (Map.Entry<Branch, Integer> e : counts.entrySet()) {
            ratio.append(r);
            branch.append(e.getKey().label());
            n.append(e.getValue());
            share.append((double) e.getValue() / batches);
        }
        return Table.create(String.format(java.util.Locale.ROOT, "CALF per batch as the authors' code chooses (contour "
                + "areas, empty masks included), over the %d batches of %d that a run at ratio %s draws in %d epochs; the "
                + "branch changed %d times (measured)", batches, config.batch(), r, config.epochs(), changes), ratio,
                branch, n, share);
    }
}
