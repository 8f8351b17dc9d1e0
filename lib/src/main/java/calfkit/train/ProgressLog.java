package calfkit.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import ai.djl.Device;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;

import calfkit.data.RunData;
import calfkit.engine.Devices;
import calfkit.loss.CalfLoss;
import calfkit.loss.SegmentationLoss;
import calfkit.model.Models;

/**
 * The run's log: its opening lines ({@link #opening}), then, as a DJL training listener, a progress bar per epoch
 * and one line per finished epoch,
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

    /** The run's opening lines in its log: model, loss, data, sample, what an epoch draws, CALF's branch. */
    static void opening(PrintStream log, Path runDir, TrainConfig c, int batch, List<Device> devices, RunData data,
                        SegmentationLoss loss) {
        log.printf("run %s%n  model %s (%s), loss %s, %d epochs, batch %d, lr %g, seed %d, devices %s%n", runDir,
                Models.label(c.model()), c.size().name().toLowerCase(), c.loss(), c.epochs(), batch, c.learningRate(),
                c.seed(), devices);
        if (!devices.get(0).isGpu() && !Devices.cpuInstructionsCapped()) {
            log.println("  " + Devices.cpuInstructions());
        }
        log.printf("  protocol %s, recipe %s%s%n", c.protocol(), c.effectiveRecipe().label(), c.extensions() == 0 ? ""
                : String.format(Locale.ROOT, "; while validation DSC still rises at the end, up to %d more cycle%s of %d "
                        + "epochs", c.extensions(), c.extensions() == 1 ? "" : "s", PlateauExtension.cycle(c.epochs())));
        log.printf("  data %s%s%n  %s; validation %d slices%s%n", data.split(), switch (c.splitUnit()) {
            case SLICE -> " (split by slice: a patient's slices on both sides)";
            case SLICE_PER_PATIENT -> " (10 % of every patient's slices for test, the rest trained on)";
            case PATIENT -> "";
        }, data.sample(), data.validation().size(), data.validationIsTrained()
                ? " drawn from the training slices (no validation set, as the authors': the curves are measured on "
                + "slices the run trains on" + (c.protocol() == calfkit.config.Protocol.AUTHORS ? ")"
                : ", and so is the best epoch's choice)") : "");
        log.printf("  starts from %s; %s%n", c.effectiveInit() == calfkit.model.Initialisation.PYTORCH
                ? "PyTorch's layer defaults (Kaiming-uniform a = sqrt(5), uniform biases)" : "Xavier weights, biases 0",
                c.keepsLastBatch() ? "an epoch's last partial batch is trained on" : "an epoch's last partial batch is dropped");
        if (data.validation().equals(data.split().test())) {
            log.printf("  WARNING: only %d training patient(s), too few to set some aside: the validation set is the "
                    + "test set, so the best epoch is chosen on the test slices and the test metrics are optimistic%n",
                    data.split().trainPatients().size());
        }
        if (c.slicesPerEpoch() > 0) {
            log.printf("  each epoch draws %d of the sample's slices (EpochSampler%s)%n",
                    Math.min(c.slicesPerEpoch(), data.sample().slices().size()),
                    c.effectiveRecipe().stratifiedBatches() ? ", stratified batches" : "");
        }
        if (loss instanceof CalfLoss calf) {
            log.println("  " + (calf.lastDecision() != null ? calf.lastDecision().toString()
                    : "CALF per batch: the branch is chosen again for every batch"));
        }
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
