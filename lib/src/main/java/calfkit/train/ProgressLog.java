package calfkit.train;

import java.io.PrintStream;
import java.util.Locale;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;

/**
 * Progress, a DJL training listener: a progress bar per epoch and one line per finished epoch in the run's log,
 * and the same news passed on to a {@link ProgressListener} (a notebook's live line). Added after
 * {@link RunRecorder}, so an epoch is reported once it is recorded.
 */
final class ProgressLog extends TrainingListenerAdapter {

    private final PrintStream log;
    private final EpochState state;
    private final ProgressListener watcher;
    private Bar bar;

    ProgressLog(PrintStream log, EpochState state, ProgressListener watcher) {
        this.log = log;
        this.state = state;
        this.watcher = watcher;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (!Double.isFinite(state.lastLoss)) {
            return; // the NaN guard has said it
        }
        if (bar == null || bar.epoch != state.epoch) {
            bar = new Bar(log, state.epoch, "epoch " + (state.epoch + 1) + "/" + state.epochs, state.stepsPerEpoch);
        }
        bar.step(state.batches, state.meanLoss());
        watcher.onBatch(state.epoch + 1, state.epochs, state.batches, state.stepsPerEpoch, state.meanLoss());
    }

    @Override
    public void onEpoch(Trainer trainer) {
        EpochRow row = state.row;
        watcher.onEpoch(row, state.epochs);
        log.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f, validation loss %.4f, DSC %.4f (authors' reduction %.4f), "
                        + "IoU %.4f, lr %.2e (%.1f s: training %.1f, BatchNorm %.1f, validation %.1f)%s%n",
                row.epoch(), state.epochs, row.trainLoss(), row.valLoss(), row.valDsc(), row.valDscAuthors(), row.valIou(),
                row.learningRate(), row.seconds(), state.trainingSeconds, state.batchNormSeconds, state.validationSeconds,
                row.branch().isEmpty() ? "" : ", CALF " + row.branch());
    }

    /** A text progress bar: on a terminal it redraws one line; elsewhere it prints at each quarter. */
    private static final class Bar {
        private final PrintStream out;
        private final int epoch;
        private final String label;
        private final long total;
        private final boolean terminal = System.console() != null;
        private int lastQuarter;

        Bar(PrintStream out, int epoch, String label, long total) {
            this.out = out;
            this.epoch = epoch;
            this.label = label;
            this.total = Math.max(1, total);
        }

        void step(long done, double loss) {
            int width = 30;
            int filled = (int) (width * Math.min(1.0, (double) done / total));
            String bar = "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
            if (terminal) {
                out.printf("\r%s %s %d/%d loss %.4f", label, bar, done, total, loss);
                if (done >= total) {
                    out.print("\r");
                }
            } else {
                int quarter = (int) (4 * done / total);
                if (quarter > lastQuarter && quarter < 4) {
                    lastQuarter = quarter;
                    out.printf("%s %s %d/%d loss %.4f%n", label, bar, done, total, loss);
                }
            }
        }
    }
}
