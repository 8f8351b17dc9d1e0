package calfkit.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import calfkit.metrics.PairedBootstrap;
import calfkit.metrics.SeedStatistics;
import calfkit.metrics.TrainingsComparison;
import calfkit.model.Models;
import calfkit.train.RunFolder;

/**
 * A grid's results compared: the seed summaries of its results table ({@link RunSummary#table}, one row per run) and
 * comparisons across trainings, the paired per-slice counts, and the DSC by tumour size. Training a grid is
 * {@link Experiments}'.
 */
public final class GridResults {

    /** Bootstrap resamples of the paired comparisons over test slices. */
    static final int RESAMPLES = 2000;

    private GridResults() {
    }

    /**
     * Mean, standard deviation and a 95 % confidence interval of the mean over seeds of each metric
     * ({@code m}, {@code m sd}, {@code m 95% low}, {@code m 95% high}), one row per (model, loss), in the order
     * they first appear. The interval stays inside the metric's bounds: a Student-t interval on the logit scale
     * (on log(1 + x) for HD95), transformed back ({@link SeedStatistics#boundedCi}).
     */
    public static Table summary(Table runs, List<String> metricNames) {
        Table keys = runs.selectColumns("model", "loss").dropDuplicateRows();
        StringColumn model = StringColumn.create("model");
        StringColumn loss = StringColumn.create("loss");
        IntColumn n = IntColumn.create("seeds");
        List<DoubleColumn> cols = new ArrayList<>();
        for (String m : metricNames) {
            cols.add(DoubleColumn.create(m));
            cols.add(DoubleColumn.create(m + " sd"));
            cols.add(DoubleColumn.create(m + " 95% low"));
            cols.add(DoubleColumn.create(m + " 95% high"));
        }
        for (int row = 0; row < keys.rowCount(); row++) {
            String mo = keys.stringColumn("model").get(row);
            String lo = keys.stringColumn("loss").get(row);
            Table sub = runs.where(runs.stringColumn("model").isEqualTo(mo).and(runs.stringColumn("loss").isEqualTo(lo)));
            model.append(mo);
            loss.append(lo);
            n.append(sub.rowCount());
            for (int k = 0; k < metricNames.size(); k++) {
                double[] v = sub.doubleColumn(metricNames.get(k)).asDoubleArray();
                SeedStatistics.MeanCi ci = SeedStatistics.meanCi(v);
                double[] bounded = SeedStatistics.boundedCi(v, SeedStatistics.Bounds.of(metricNames.get(k)));
                cols.get(4 * k).append(ci.mean());
                cols.get(4 * k + 1).append(ci.sd());
                cols.get(4 * k + 2).append(bounded[0]);
                cols.get(4 * k + 3).append(bounded[1]);
            }
        }
        Table t = Table.create("mean, sd and 95% CI over seeds (measured by this kit)", model, loss, n);
        cols.forEach(t::addColumns);
        return t;
    }

    /**
     * Paired comparisons of one loss against each other loss on the same model and seeds: mean difference of
     * a metric over seeds and the paired t-test's p-value (Commons Math). With 3 seeds this test has little
     * power; {@link #pairedOverSlices} uses the test slices as well.
     */
    public static Table paired(Table runs, String reference, String metric) {
        StringColumn model = StringColumn.create("model");
        StringColumn other = StringColumn.create("compared with");
        DoubleColumn diff = DoubleColumn.create("mean " + metric + " difference (" + reference + " − other)");
        DoubleColumn p = DoubleColumn.create("paired t-test p");
        for (String mo : inOrder(runs.stringColumn("model"))) {
            Table ofModel = runs.where(runs.stringColumn("model").isEqualTo(mo));
            Table ref = ofModel.where(ofModel.stringColumn("loss").isEqualTo(reference)).sortAscendingOn("seed");
            for (String lo : inOrder(ofModel.stringColumn("loss"))) {
                if (lo.equals(reference)) {
                    continue;
                }
                Table o = ofModel.where(ofModel.stringColumn("loss").isEqualTo(lo)).sortAscendingOn("seed");
                model.append(mo);
                other.append(lo);
                if (ref.rowCount() < 2 || o.rowCount() != ref.rowCount()) {
                    diff.append(ref.rowCount() == 1 && o.rowCount() == 1
                            ? ref.doubleColumn(metric).get(0) - o.doubleColumn(metric).get(0) : Double.NaN);
                    p.append(Double.NaN);
                    continue;
                }
                SeedStatistics.Paired t = SeedStatistics.paired(ref.doubleColumn(metric).asDoubleArray(),
                        o.doubleColumn(metric).asDoubleArray());
                diff.append(t.meanDifference());
                p.append(t.tTestP());
            }
        }
        return Table.create(reference + " against the other losses, paired over seeds (measured by this kit)",
                model, other, diff, p);
    }

    /**
     * The reference loss against every other loss of the grid, on each model, across trainings
     * ({@link TrainingsComparison}): the difference of pooled test DSC, mean over the grid's seeds, its 95 % interval
     * with both the seeds' spread and the test slices' in it, the p-value, Holm's adjustment over all the comparisons
     * of the table, and the verdict in words: none with fewer than {@value TrainingsComparison#MIN_SEEDS} seeds.
     */
    public static Table comparisons(Grid grid, Path results, ExperimentPlan plan, String reference) throws IOException {
        List<String> others = new ArrayList<>();
        List<String> models = new ArrayList<>();
        List<TrainingsComparison.Result> family = new ArrayList<>();
        List<Long> seedList = grid.seeds(plan);
        for (String mo : grid.models()) {
            List<PairedBootstrap.Counts> ref = counts(results, mo, reference, grid.ratio(), seedList);
            for (String lo : grid.losses()) {
                if (!lo.equals(reference)) {
                    models.add(Models.label(mo));
                    others.add(Experiments.label(lo));
                    family.add(TrainingsComparison.pooledDsc(ref, counts(results, mo, lo, grid.ratio(), seedList), 12345));
                }
            }
        }
        return comparisonTable(Experiments.label(reference) + " against the other losses across " + seedList.size() + " training"
                + (seedList.size() == 1 ? "" : "s") + " a side (seeds and test slices; measured by this kit)",
                Experiments.label(reference), models, others, family);
    }

    /**
     * A family of comparisons of {@code reference} as a table: model, the other loss, trainings, Δ pooled DSC, its
     * 95 % interval, the seeds' sd of Δ, p, Holm's p over the family and the verdict ({@link TrainingsComparison#words}).
     */
    public static Table comparisonTable(String name, String reference, List<String> models, List<String> others,
                                        List<TrainingsComparison.Result> family) {
        double[] adjusted = TrainingsComparison.holm(family);
        StringColumn model = StringColumn.create("model");
        StringColumn other = StringColumn.create("against");
        IntColumn seeds = IntColumn.create("trainings");
        DoubleColumn diff = DoubleColumn.create("Δ DSC");
        DoubleColumn low = DoubleColumn.create("95% low");
        DoubleColumn high = DoubleColumn.create("95% high");
        DoubleColumn sd = DoubleColumn.create("seed sd of Δ");
        DoubleColumn holm = DoubleColumn.create("Holm p");
        StringColumn verdict = StringColumn.create("verdict");
        for (int i = 0; i < family.size(); i++) {
            TrainingsComparison.Result r = family.get(i);
            model.append(models.get(i));
            other.append(others.get(i));
            seeds.append(r.seeds());
            diff.append(r.difference());
            low.append(r.decidable() ? r.low() : Double.NaN);
            high.append(r.decidable() ? r.high() : Double.NaN);
            sd.append(r.seedSd());
            holm.append(adjusted[i]);
            verdict.append(TrainingsComparison.words(r, adjusted[i], reference, others.get(i)));
        }
        return Table.create(name, model, other, seeds, diff, low, high, sd, holm, verdict);
    }

    /** A run's {@code test-per-slice.csv}, refused by name when the run has not written it. */
    static Table perSlice(Path runDir) throws IOException {
        Path file = runDir.resolve(RunFolder.TEST_PER_SLICE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": missing; run the grid first (Experiments.run)");
        }
        return Table.read().csv(file.toFile());
    }

    /** Each seed's per-slice confusion counts of one (model, loss), read from its test-per-slice.csv. */
    static List<PairedBootstrap.Counts> counts(Path results, String model, String loss, double ratio, List<Long> seeds)
            throws IOException {
        List<PairedBootstrap.Counts> out = new ArrayList<>();
        for (long seed : seeds) {
            Table t = perSlice(Experiments.runDir(results, model, loss, ratio, seed));
            int n = t.rowCount();
            long[] tp = new long[n];
            long[] fp = new long[n];
            long[] fn = new long[n];
            for (int i = 0; i < n; i++) {
                fp[i] = (long) t.numberColumn("fp").getDouble(i);
                fn[i] = (long) t.numberColumn("fn").getDouble(i);
                tp[i] = (long) t.numberColumn("predicted").getDouble(i) - fp[i];
            }
            out.add(new PairedBootstrap.Counts(tp, fp, fn));
        }
        return out;
    }

    /** The validation-DSC curves of every run of a grid, by name "MODEL LOSS seed S", for a chart. */
    public static Map<String, Path> runFolders(Grid grid, Path results, ExperimentPlan plan) {
        Map<String, Path> m = new LinkedHashMap<>();
        for (String mo : grid.models()) {
            for (String lo : grid.losses()) {
                for (long seed : grid.seeds(plan)) {
                    m.put(Models.label(mo) + " " + Experiments.label(lo) + " seed " + seed,
                            Experiments.runDir(results, mo, lo, grid.ratio(), seed));
                }
            }
        }
        return m;
    }

    /**
     * Test DSC by tumour size ({@code test-dsc-by-size.csv}) of every loss of a grid on one model, averaged over the
     * grid's seeds (every seed has the same test slices, so the same strata): one row per (loss, stratum) with the
     * stratum's DSC, the share of its slices where the tumour was found (false alarms for tumour-free slices) and
     * the median predicted / true area ({@link calfkit.metrics.Evaluation#dscBySize}).
     */
    public static Table dscBySize(Grid grid, Path results, String model, ExperimentPlan plan) throws IOException {
        List<String> numeric = List.of("dsc", "found", "predicted / true area");
        Table out = null;
        for (String loss : grid.losses()) {
            Table mean = null;
            List<Long> seeds = grid.seeds(plan);
            for (long seed : seeds) {
                Path file = Experiments.runDir(results, model, loss, grid.ratio(), seed).resolve(RunFolder.TEST_DSC_BY_SIZE);
                Table t = Table.read().csv(file.toFile());
                if (mean == null) {
                    mean = Table.create("", t.stringColumn("stratum").copy(), t.column("area (pixels)").copy(),
                            t.column("images").copy());
                    for (String c : numeric) {
                        mean.addColumns(DoubleColumn.create(c, new double[t.rowCount()]));
                    }
                }
                for (String c : numeric) {
                    for (int r = 0; r < t.rowCount(); r++) {
                        double v = t.numberColumn(c).getDouble(r) / seeds.size();
                        mean.doubleColumn(c).set(r, mean.doubleColumn(c).getDouble(r) + v);
                    }
                }
            }
            mean.insertColumn(0, StringColumn.create("loss", java.util.Collections.nCopies(mean.rowCount(), Experiments.label(loss))));
            out = out == null ? mean : out.append(mean);
        }
        out.setName("test DSC by tumour size, " + Models.label(model) + ", " + grid.name() + ", mean over "
                + grid.seeds(plan).size() + " seed(s) (measured)");
        return out;
    }

    /**
     * One sentence on the small tumours: for each loss, the share of small tumours found, their DSC, and the median
     * predicted / true area over small tumours, from a {@link #dscBySize} table.
     */
    public static String smallTumours(Table bySize) {
        StringBuilder sb = new StringBuilder();
        String range = "";
        for (int r = 0; r < bySize.rowCount(); r++) {
            if (!bySize.stringColumn("stratum").get(r).equals("small")) {
                continue;
            }
            range = bySize.column("area (pixels)").getString(r);
            sb.append(sb.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s found %.0f %% (DSC %.4f, "
                            + "predicted/true area %.2f)", bySize.stringColumn("loss").get(r),
                    100 * bySize.doubleColumn("found").getDouble(r), bySize.doubleColumn("dsc").getDouble(r),
                    bySize.doubleColumn("predicted / true area").getDouble(r)));
        }
        return "small tumours (" + range + " pixels), measured: " + sb;
    }

    /**
     * The distinct values of a text column in the order they first appear (Tablesaw's {@code unique()} does not
     * keep it), so that tables and charts keep a grid's order: U-Net, DeepLabV3, FPN; BCE, Focal, CALF.
     */
    public static java.util.List<String> inOrder(tech.tablesaw.api.StringColumn column) {
        return java.util.List.copyOf(new java.util.LinkedHashSet<>(column.asList()));
    }
}
