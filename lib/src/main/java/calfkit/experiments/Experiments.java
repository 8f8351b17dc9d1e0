package calfkit.experiments;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import calfkit.data.SliceIndex;
import calfkit.engine.Devices;
import calfkit.io.AtomicFiles;
import calfkit.loss.Losses;
import calfkit.metrics.Metric;
import calfkit.metrics.PairedBootstrap;
import calfkit.metrics.SeedStatistics;
import calfkit.metrics.TrainingsComparison;
import calfkit.model.Models;
import calfkit.train.Convergence;
import calfkit.train.EpochRow;
import calfkit.train.ProgressDisplay;
import calfkit.train.ProgressListener;
import calfkit.train.RunFolder;
import calfkit.train.TrainConfig;
import calfkit.train.TrainingRun;

/**
 * Runs a {@link Grid} and reads its results. Every run lives in its own folder {@code RESULTS/runs/<run name>}
 * ({@link Grid#runName}); a run whose folder already holds its test metrics is read, not retrained (so tables
 * re-render without training, and grids share runs), and a folder holding an unfinished run is resumed. Each
 * grid's table, one row per run, is also saved as {@code RESULTS/<grid file>.csv}.
 */
public final class Experiments {

    /** The folder, under a results folder, that holds every run folder. */
    public static final String RUNS = "runs";

    /** Bootstrap resamples of the paired comparisons over test slices. */
    static final int RESAMPLES = 2000;

    private Experiments() {
    }

    /** The folder of one run under a results folder. */
    public static Path runDir(Path results, String model, String loss, double ratio, long seed) {
        return results.resolve(RUNS).resolve(Grid.runName(model, loss, ratio, seed));
    }

    /**
     * Runs (or reads back) every run of the grid and returns one row per run: model, loss, seed, the test metrics
     * in the authors' reduction (accuracy, dsc, iou, specificity, sensitivity, precision, mae, hd95), the pooled
     * and per-image DSC, the epochs, the best epoch, the plateau check ({@link Convergence}) and the CALF branch.
     *
     * @param log one line per run, the epoch numbers appended as they finish; the trainer's own lines go to the
     *            run's {@code train.log}
     */
    public static Table run(Grid grid, Path results, SliceIndex index, ExperimentPlan plan, PrintStream log)
            throws IOException {
        return run(grid, results, index, plan, ProgressDisplay.streamed(log));
    }

    /**
     * As {@link #run(Grid, Path, SliceIndex, ExperimentPlan, PrintStream)}, each run's progress on one line of
     * {@code progress} (in a notebook: a line rewritten in place with epoch, batch, loss, elapsed time and an
     * estimate of the time left). The grid is first written down as {@code results/<grid file>.grid.csv}
     * ({@link GridPlan}), the file {@code calf grid plan} writes for the same grid.
     */
    public static Table run(Grid grid, Path results, SliceIndex index, ExperimentPlan plan, ProgressDisplay progress)
            throws IOException {
        GridPlan g = GridPlan.of(grid, plan, results, index.root());
        g.write();
        return run(g, grid.name(), index, progress);
    }

    /**
     * Runs (or reads back) every row of a written-down grid on {@code index} (the grid's dataset), and writes its
     * results table ({@link GridPlan#resultsFile()}). A finished run is read back only when it is the row's run:
     * a run folder trained under another configuration is refused, not mixed into the table.
     *
     * @param name what the table is called
     */
    public static Table run(GridPlan g, String name, SliceIndex index, ProgressDisplay progress) throws IOException {
        long t0 = System.nanoTime();
        List<GridPlan.Row> rows = g.rows();
        int total = rows.size();
        Table[] results = new Table[total];  // each row's results, read once from its folder when it is done
        List<SideBySide.Job> toTrain = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            int k = i;
            GridPlan.Row row = rows.get(i);
            TrainConfig c = row.config();
            RunFolder run = new RunFolder(g.runDir(row));
            String what = String.format(Locale.ROOT, "[%d/%d] %s %s seed %d", row.row() + 1, total,
                    Models.label(row.model()), label(row.loss()), row.seed());
            if (run.complete(c.epochs())) {
                requireSameRun(run, c);
                run.checkSameData(index, "this grid");
                results[k] = oneRow(run, row.seed(), true);
                progress.note(done(what, results[k], "read back", t0));
                continue;
            }
            toTrain.add(new SideBySide.Job() {
                @Override
                public String opening() {
                    return what + ": training, epoch";
                }

                @Override
                public void train(ProgressDisplay.Line line) throws IOException {
                    Experiments.train(c, index, run, new RunProgress(what, line));
                }

                @Override
                public String closing() throws IOException {
                    results[k] = oneRow(run, row.seed(), false);
                    return done(what, results[k], "trained now", t0);
                }
            });
        }
        SideBySide.run(toTrain, Devices.runsAtOnce(), progress);
        Table t = emptyTable(name + " runs (measured by this kit)");
        for (Table r : results) {
            t.append(r);
        }
        AtomicFiles.writeCsv(g.resultsFile(), t);
        return t;
    }

    /** A finished run's results, one row ({@link #addRow}). */
    private static Table oneRow(RunFolder run, long seed, boolean cached) throws IOException {
        Table one = emptyTable("one run");
        addRow(one, run, seed, cached);
        return one;
    }

    /** A finished run's line: its test DSC, its plateau verdict, where it came from and the grid's time so far. */
    private static String done(String what, Table result, String source, long t0) {
        return String.format(Locale.ROOT, "%s: test DSC %.4f, %s (%s, %.0f s so far)", what,
                result.doubleColumn("dsc").get(0), result.stringColumn("convergence").get(0), source,
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The results table of a grid's finished runs, read from their folders (what {@link #run(GridPlan, String,
     * SliceIndex, ProgressDisplay)} returns once every run is done, each row's source "read from an earlier run");
     * unfinished rows are left out.
     */
    public static Table collect(GridPlan g, String name) throws IOException {
        Table t = emptyTable(name + " runs (measured by this kit)");
        for (GridPlan.Row row : g.rows()) {
            RunFolder run = new RunFolder(g.runDir(row));
            if (run.complete(row.epochs())) {
                requireSameRun(run, row.config());
                addRow(t, run, row.seed(), true);
            }
        }
        return t;
    }

    private static void requireSameRun(RunFolder run, TrainConfig planned) throws IOException {
        TrainConfig saved = run.config();
        if (!saved.sameRunAs(planned)) {
            throw new IOException(run.dir() + ": holds a finished run of another configuration than the grid's ("
                    + "saved " + saved.toJson().replaceAll("\\s+", " ") + "; planned " + planned.toJson().replaceAll("\\s+", " ")
                    + "); use another results folder for this grid");
        }
    }

    /** Trains one run, its log into the run's {@code train.log}, its progress to {@code listener}. */
    private static void train(TrainConfig c, SliceIndex index, RunFolder run, ProgressListener listener)
            throws IOException {
        boolean resume = Files.isRegularFile(run.dir().resolve(RunFolder.CONFIG));
        Files.createDirectories(run.dir());
        try (OutputStream file = Files.newOutputStream(run.dir().resolve(RunFolder.TRAIN_LOG),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
             PrintStream p = new PrintStream(file, true, StandardCharsets.UTF_8)) {
            TrainingRun.train(c, index, run.dir(), resume, p, listener);
        }
    }

    /**
     * A run's progress line: epoch, batch, mean training loss, elapsed time and an estimate of the time left (from
     * the pace since this process started the run, so a resumed run's earlier epochs do not count).
     */
    private static final class RunProgress implements ProgressListener {
        private final String name;
        private final ProgressDisplay.Line line;
        private final long t0 = System.nanoTime();
        private double startedAt = -1;

        RunProgress(String name, ProgressDisplay.Line line) {
            this.name = name;
            this.line = line;
        }

        @Override
        public void onBatch(int epoch, int epochs, int batch, int batches, double meanLoss) {
            double done = ((epoch - 1) + (double) batch / batches) / epochs;
            line.update(text(String.format(Locale.ROOT, "epoch %d/%d, batch %d/%d, loss %.4f", epoch, epochs, batch,
                    batches, meanLoss), done), done);
        }

        @Override
        public void onEpoch(EpochRow row, int epochs) {
            double done = (double) row.epoch() / epochs;
            line.epoch(row.epoch(), text(String.format(Locale.ROOT, "epoch %d/%d done, loss %.4f, validation DSC %.4f",
                    row.epoch(), epochs, row.trainLoss(), row.valDsc()), done), done);
        }

        private String text(String where, double done) {
            double elapsed = (System.nanoTime() - t0) / 1e9;
            if (startedAt < 0) {
                startedAt = done;
            }
            double pace = done > startedAt ? elapsed / (done - startedAt) : Double.NaN;
            String left = Double.isFinite(pace) && elapsed > 2 ? String.format(Locale.ROOT, ", about %.0f s left",
                    pace * (1 - done)) : "";
            return String.format(Locale.ROOT, "%s: %s (%.0f s%s)", name, where, elapsed, left);
        }
    }

    private static Table emptyTable(String name) {
        Table t = Table.create(name, StringColumn.create("model"), StringColumn.create("loss"), IntColumn.create("seed"));
        for (String m : Metric.NAMES) {
            t.addColumns(DoubleColumn.create(m));
        }
        t.addColumns(DoubleColumn.create("dsc_pooled"), DoubleColumn.create("dsc_per_image"), IntColumn.create("epochs"),
                IntColumn.create("best_epoch"), DoubleColumn.create("plateau_gain"), StringColumn.create("convergence"),
                StringColumn.create("calf_branch"), StringColumn.create("source"));
        return t;
    }

    private static void addRow(Table t, RunFolder run, long seed, boolean cached) throws IOException {
        TrainConfig c = run.config();
        double[] metrics = testResults(run);
        List<EpochRow> epochs = run.finishedEpochs();
        Convergence conv = Convergence.of(epochs, c.effectiveRecipe());
        t.stringColumn("model").append(Models.label(c.model()));
        t.stringColumn("loss").append(label(c.loss()));
        t.intColumn("seed").append((int) seed);
        for (int i = 0; i < Metric.NAMES.size(); i++) {
            t.doubleColumn(Metric.NAMES.get(i)).append(metrics[i]);
        }
        t.doubleColumn("dsc_pooled").append(metrics[Metric.NAMES.size()]);
        t.doubleColumn("dsc_per_image").append(metrics[Metric.NAMES.size() + 1]);
        t.intColumn("epochs").append(epochs.size());
        t.intColumn("best_epoch").append(conv.bestEpoch());
        t.doubleColumn("plateau_gain").append(conv.gain());
        t.stringColumn("convergence").append(conv.plateaued() && !conv.collapsed() ? "plateau" : conv.verdict());
        t.stringColumn("calf_branch").append(epochs.isEmpty() ? "" : epochs.get(epochs.size() - 1).branch());
        t.stringColumn("source").append(cached ? "read from an earlier run" : "trained now");
    }

    /**
     * A finished run's test results as calf train writes them (test-metrics.json): the metrics of
     * {@link Metric#NAMES} in the authors' reduction, then the pooled and the per-image DSC.
     *
     * @throws IOException naming the file, with how to write it again, when it is cut short or edited
     */
    static double[] testResults(RunFolder run) throws IOException {
        Path file = run.dir().resolve(RunFolder.TEST_METRICS);
        double[] metrics = new double[Metric.NAMES.size() + 2];
        try {
            JsonObject json = new Gson().fromJson(Files.readString(file, StandardCharsets.UTF_8), JsonObject.class);
            JsonObject authors = json.getAsJsonObject("authors");
            for (int i = 0; i < Metric.NAMES.size(); i++) {
                metrics[i] = number(authors.get(Metric.NAMES.get(i)));
            }
            metrics[Metric.NAMES.size()] = number(json.getAsJsonObject("pooled").get("dsc"));
            metrics[Metric.NAMES.size() + 1] = number(json.getAsJsonObject("per_image").get("dsc"));
        } catch (RuntimeException e) {
            throw new IOException(file + ": not the test results calf train writes (" + (e.getMessage() != null
                    ? e.getMessage() : e.getClass().getSimpleName()) + "); write them again with: calf eval --run "
                    + run.dir() + " --data DATASET --write", e);
        }
        return metrics;
    }

    private static double number(JsonElement e) {
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    /** The loss's name as the papers' tables print it. */
    public static String label(String loss) {
        return Losses.label(loss);
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
                    others.add(label(lo));
                    family.add(TrainingsComparison.pooledDsc(ref, counts(results, mo, lo, grid.ratio(), seedList), 12345));
                }
            }
        }
        return comparisonTable(label(reference) + " against the other losses across " + seedList.size() + " training"
                + (seedList.size() == 1 ? "" : "s") + " a side (seeds and test slices; measured by this kit)",
                label(reference), models, others, family);
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
            Table t = perSlice(runDir(results, model, loss, ratio, seed));
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

    /**
     * The convergence of a grid's runs, one line: "27 of 27 runs reached their plateau", the runs that collapsed
     * (stable, so at their plateau, as {@code calf convergence} counts them: a failure of the loss on that run), and
     * the runs that did not reach it.
     */
    public static String convergence(Table runs) {
        List<String> rising = new ArrayList<>();
        List<String> collapsed = new ArrayList<>();
        for (int r = 0; r < runs.rowCount(); r++) {
            String verdict = runs.stringColumn("convergence").get(r);
            if (!verdict.equals("plateau")) {
                String line = runs.stringColumn("model").get(r) + " " + runs.stringColumn("loss").get(r) + " seed "
                        + runs.intColumn("seed").get(r) + ": " + verdict;
                (verdict.startsWith("COLLAPSED") ? collapsed : rising).add(line);
            }
        }
        int plateau = runs.rowCount() - rising.size();
        String text = rising.isEmpty() ? "converged: " + plateau + " of " + runs.rowCount() + " runs reached their plateau"
                : "NOT CONVERGED: " + rising.size() + " of " + runs.rowCount() + " runs did not reach their plateau: "
                + String.join("; ", rising);
        return collapsed.isEmpty() ? text : text + (rising.isEmpty() ? ", of which " : "; ") + collapsed.size()
                + " collapsed to a degenerate prediction (stable, so at their plateau; a failure of the loss on that run): "
                + String.join("; ", collapsed);
    }

    /** The validation-DSC curves of every run of a grid, by name "MODEL LOSS seed S", for a chart. */
    public static Map<String, Path> runFolders(Grid grid, Path results, ExperimentPlan plan) {
        Map<String, Path> m = new LinkedHashMap<>();
        for (String mo : grid.models()) {
            for (String lo : grid.losses()) {
                for (long seed : grid.seeds(plan)) {
                    m.put(Models.label(mo) + " " + label(lo) + " seed " + seed, runDir(results, mo, lo, grid.ratio(), seed));
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
                Path file = runDir(results, model, loss, grid.ratio(), seed).resolve(RunFolder.TEST_DSC_BY_SIZE);
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
            mean.insertColumn(0, StringColumn.create("loss", java.util.Collections.nCopies(mean.rowCount(), label(loss))));
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
