package calfkit.experiments;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tech.tablesaw.api.Table;

import calfkit.data.SliceIndex;
import calfkit.engine.Devices;
import calfkit.io.AtomicFiles;
import calfkit.loss.Losses;
import calfkit.model.Models;
import calfkit.train.Convergence;
import calfkit.train.EpochRow;
import calfkit.train.ProgressDisplay;
import calfkit.train.ProgressListener;
import calfkit.train.RunFolder;
import calfkit.train.TrainConfig;
import calfkit.train.TrainingRun;

/**
 * Runs a {@link Grid}, each run summarised as a {@link RunSummary}. Every run lives in its own folder
 * {@code RESULTS/runs/<run name>} ({@link Grid#runName}); a run whose folder already holds its test metrics is read,
 * not retrained (so tables re-render without training, and grids share runs), and a folder holding an unfinished run
 * is resumed. Each grid's table, one row per run ({@link RunSummary#table}), is also saved as
 * {@code RESULTS/<grid file>.csv}.
 */
public final class Experiments {

    /** The folder, under a results folder, that holds every run folder. */
    public static final String RUNS = "runs";

    private Experiments() {
    }

    /** The folder of one run under a results folder. */
    public static Path runDir(Path results, String model, String loss, double ratio, long seed) {
        return results.resolve(RUNS).resolve(Grid.runName(model, loss, ratio, seed));
    }

    /**
     * Runs (or reads back) every run of the grid and returns one row per run ({@link RunSummary#table}): model, loss,
     * seed, the test metrics in the authors' reduction (accuracy, dsc, iou, specificity, sensitivity, precision, mae,
     * hd95), the pooled and per-image DSC, the epochs, the best epoch, the plateau check ({@link Convergence}) and the
     * CALF branch.
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
        return RunSummary.table(name + " runs (measured by this kit)", runs(g, index, progress));
    }

    /**
     * As {@link #run(GridPlan, String, SliceIndex, ProgressDisplay)}, the runs typed: each run trained now summarised
     * from its result ({@link RunSummary#trained}), each finished one read back from its folder.
     */
    public static List<RunSummary> runs(GridPlan g, SliceIndex index, ProgressDisplay progress) throws IOException {
        long t0 = System.nanoTime();
        List<GridPlan.Row> rows = g.rows();
        int total = rows.size();
        RunSummary[] results = new RunSummary[total];
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
                results[k] = RunSummary.readBack(run);
                progress.note(done(what, results[k], t0));
                continue;
            }
            toTrain.add(new SideBySide.Job() {
                @Override
                public String opening() {
                    return what + ": training, epoch";
                }

                @Override
                public void train(ProgressDisplay.Line line) throws IOException {
                    results[k] = RunSummary.trained(Experiments.train(c, index, run, new RunProgress(what, line)));
                }

                @Override
                public String closing() {
                    return done(what, results[k], t0);
                }
            });
        }
        SideBySide.run(toTrain, Devices.runsAtOnce(), progress);
        List<RunSummary> out = List.of(results);
        AtomicFiles.writeCsv(g.resultsFile(), RunSummary.table("results", out));
        return out;
    }

    /** A finished run's line: its test DSC, its plateau verdict, where it came from and the grid's time so far. */
    private static String done(String what, RunSummary r, long t0) {
        return String.format(Locale.ROOT, "%s: test DSC %.4f, %s (%s, %.0f s so far)", what, r.dsc(),
                r.convergence().column(), r.trainedNow() ? "trained now" : "read back", (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The results table of a grid's finished runs, read from their folders (what {@link #run(GridPlan, String,
     * SliceIndex, ProgressDisplay)} returns once every run is done, each row's source "read from an earlier run");
     * unfinished rows are left out.
     */
    public static Table collect(GridPlan g, String name) throws IOException {
        List<RunSummary> runs = new ArrayList<>();
        for (GridPlan.Row row : g.rows()) {
            RunFolder run = new RunFolder(g.runDir(row));
            if (run.complete(row.epochs())) {
                requireSameRun(run, row.config());
                runs.add(RunSummary.readBack(run));
            }
        }
        return RunSummary.table(name + " runs (measured by this kit)", runs);
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
    private static TrainingRun.Result train(TrainConfig c, SliceIndex index, RunFolder run, ProgressListener listener)
            throws IOException {
        boolean resume = Files.isRegularFile(run.dir().resolve(RunFolder.CONFIG));
        Files.createDirectories(run.dir());
        try (OutputStream file = Files.newOutputStream(run.dir().resolve(RunFolder.TRAIN_LOG),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
             PrintStream p = new PrintStream(file, true, StandardCharsets.UTF_8)) {
            return TrainingRun.train(c, index, run.dir(), resume, p, listener);
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

    /** The loss's name as the papers' tables print it. */
    public static String label(String loss) {
        return Losses.label(loss);
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
            Convergence.State state = Convergence.State.ofColumn(verdict);
            if (state != Convergence.State.PLATEAU) {
                String line = runs.stringColumn("model").get(r) + " " + runs.stringColumn("loss").get(r) + " seed "
                        + runs.intColumn("seed").get(r) + ": " + verdict;
                (state == Convergence.State.COLLAPSED ? collapsed : rising).add(line);
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
}
