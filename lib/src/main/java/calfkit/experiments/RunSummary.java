package calfkit.experiments;

import java.io.IOException;
import java.util.List;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import calfkit.metrics.Metric;
import calfkit.metrics.Reduction;
import calfkit.model.Models;
import calfkit.train.Convergence;
import calfkit.train.EpochRow;
import calfkit.train.RunFolder;
import calfkit.train.TestMetrics;
import calfkit.train.TrainConfig;
import calfkit.train.TrainingRun;

/**
 * One finished run of a grid, typed: what it is (model, loss, seed), its test metrics, its epochs and whether they
 * reached their plateau, CALF's branch, and whether it was trained now or read back. A run trained now is summarised
 * from its {@link TrainingRun.Result}; a finished run is read back from its folder (the source of truth for resume and
 * read-back); both give the same summary, since a result's epochs are those its {@code metrics.csv} records.
 *
 * <p>A grid's results table ({@link #table}) is these summaries as rows, its columns written here only: model and
 * loss as the papers print them, seed, the test metrics in the authors' reduction ({@link Metric#NAMES}), the pooled
 * and per-image DSC, epochs, best epoch, the plateau gain, the convergence cell ({@link Convergence#column}, read back
 * by {@link Convergence.State#ofColumn}), CALF's branch and the source.
 *
 * @param model      the model's registry name
 * @param loss       the loss's name as the grid gives it
 * @param seed       the run's seed
 * @param test       its test metrics ({@code test-metrics.json})
 * @param epochs     its epochs, as {@code metrics.csv} records them
 * @param trainedNow true when this process trained it, false when it was read back
 */
public record RunSummary(String model, String loss, long seed, TestMetrics test, List<EpochRow> epochs,
                         Convergence convergence, boolean trainedNow) {

    /** A run this process has just trained, from its result. */
    public static RunSummary trained(TrainingRun.Result r) {
        return of(r.config(), TestMetrics.of(r.test()), r.epochs(), true);
    }

    /**
     * A finished run read back from its folder.
     *
     * @throws IOException naming the file when its config, metrics or test metrics cannot be read
     */
    public static RunSummary readBack(RunFolder run) throws IOException {
        return of(run.config(), TestMetrics.read(run), run.finishedEpochs(), false);
    }

    private static RunSummary of(TrainConfig c, TestMetrics test, List<EpochRow> epochs, boolean trainedNow) {
        return new RunSummary(c.model(), c.loss(), c.seed(), test, List.copyOf(epochs),
                Convergence.of(epochs, c.effectiveRecipe()), trainedNow);
    }

    /** The test DSC in the authors' reduction, the one Tables 4 and 5 print. */
    public double dsc() {
        return test.get(Reduction.AUTHORS, "dsc");
    }

    /** CALF's branch at the last epoch (dataset scope), or its branch counts (per batch); empty for other losses. */
    public String calfBranch() {
        return epochs.isEmpty() ? "" : epochs.get(epochs.size() - 1).branch();
    }

    /** The results table of a grid: one row per run, in the order given. */
    public static Table table(String name, List<RunSummary> runs) {
        Table t = Table.create(name, StringColumn.create("model"), StringColumn.create("loss"), IntColumn.create("seed"));
        for (String m : Metric.NAMES) {
            t.addColumns(DoubleColumn.create(m));
        }
        t.addColumns(DoubleColumn.create("dsc_pooled"), DoubleColumn.create("dsc_per_image"), IntColumn.create("epochs"),
                IntColumn.create("best_epoch"), DoubleColumn.create("plateau_gain"), StringColumn.create("convergence"),
                StringColumn.create("calf_branch"), StringColumn.create("source"));
        for (RunSummary r : runs) {
            t.stringColumn("model").append(Models.label(r.model));
            t.stringColumn("loss").append(Experiments.label(r.loss));
            t.intColumn("seed").append((int) r.seed);
            for (String m : Metric.NAMES) {
                t.doubleColumn(m).append(r.test.get(Reduction.AUTHORS, m));
            }
            t.doubleColumn("dsc_pooled").append(r.test.get(Reduction.POOLED, "dsc"));
            t.doubleColumn("dsc_per_image").append(r.test.get(Reduction.PER_IMAGE, "dsc"));
            t.intColumn("epochs").append(r.epochs.size());
            t.intColumn("best_epoch").append(r.convergence.bestEpoch());
            t.doubleColumn("plateau_gain").append(r.convergence.gain());
            t.stringColumn("convergence").append(r.convergence.column());
            t.stringColumn("calf_branch").append(r.calfBranch());
            t.stringColumn("source").append(r.trainedNow ? "trained now" : "read from an earlier run");
        }
        return t;
    }
}
