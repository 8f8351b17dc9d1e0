package calfkit.train;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener.BatchData;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;

import calfkit.data.RunData;
import calfkit.data.Slice;
import calfkit.data.SliceDataset;
import calfkit.data.SliceIndex;
import calfkit.loss.CalfLoss;
import calfkit.loss.SegmentationLoss;
import calfkit.metrics.Evaluation;
import calfkit.metrics.Reduction;
import calfkit.stats.BranchScope;

/**
 * One epoch of a run ({@link TrainingRun}): every batch through {@link TrainStep} (a non-finite batch is skipped
 * without an update), BatchNorm re-estimated when the recipe says so, then validation; the trainer's listeners hear
 * of each batch and of the epoch ({@link NonFiniteGuard}, {@link RunRecorder}, {@link ProgressLog}). Built once per
 * run with what every epoch shares; {@link #train} trains the epoch it is given.
 */
final class Epoch {

    /** Training slices per BatchNorm re-estimation, and the batch they are run in. */
    static final int CALIBRATION_SLICES = 64;
    private static final int CALIBRATION_BATCH = 32;
    /** Where the BatchNorm re-estimation after epoch e draws its Dropout masks: position this + e ({@link RunRandom}). */
    private static final long BATCH_NORM_POSITION = 1L << 40;

    private final Trainer trainer;
    private final RunRandom random;
    private final SliceDataset trainSet;
    private final EpochState state;
    private final Tracker lr;
    private final TrainConfig c;
    private final SliceIndex index;
    private final RunData data;
    private final SegmentationLoss loss;
    private final List<Slice> calibration;
    private final Path runDir;

    /** @param calibration the slices BatchNorm is re-estimated on ({@link #calibrationSlices}) */
    Epoch(Trainer trainer, RunRandom random, SliceDataset trainSet, EpochState state, Tracker lr, TrainConfig c,
          SliceIndex index, RunData data, SegmentationLoss loss, List<Slice> calibration, Path runDir) {
        this.trainer = trainer;
        this.random = random;
        this.trainSet = trainSet;
        this.state = state;
        this.lr = lr;
        this.c = c;
        this.index = index;
        this.data = data;
        this.loss = loss;
        this.calibration = calibration;
        this.runDir = runDir;
    }

    /** Trains epoch {@code epoch} (from 0) and returns its recorded row. */
    EpochRow train(int epoch) throws IOException, TranslateException {
        long t0 = System.nanoTime();
        trainSet.setEpoch(epoch);
        loss.setEpoch(epoch);
        state.startEpoch(epoch);
        long position = (long) epoch * state.stepsPerEpoch;  // the run's step, for its Dropout masks (RunRandom)
        for (Batch b : trainer.iterateDataset(trainSet)) {
            try {
                state.stepDone(b, TrainStep.step(trainer, b, random, position++));
                trainer.notifyListeners(l -> l.onTrainingBatch(trainer, new BatchData(b, Map.of(), Map.of())));
                if (Double.isFinite(state.lastLoss) && Thread.currentThread().isInterrupted()) {
                    // Kernel › Interrupt (or any interrupt of this thread): stop between two steps.
                    throw new InterruptedIOException("interrupted at epoch " + (epoch + 1) + ", batch " + state.batches
                            + " of " + state.stepsPerEpoch + "; " + (epoch == 0 ? "no epoch was saved"
                            : "epochs 1–" + epoch + " are saved in " + runDir) + "; rerun to resume");
                }
            } finally {
                b.close();
            }
        }
        if (state.batches == 0) {
            throw new IllegalStateException("loss is not finite for every batch of epoch " + (epoch + 1)
                    + "; their slices are listed in " + runDir.resolve(RunFolder.NAN_BATCH));
        }
        long t1 = System.nanoTime();
        if (c.effectiveRecipe().reestimateBatchNorm()) {
            random.masks(BATCH_NORM_POSITION + epoch, () -> {
                reestimateBatchNorm(trainer.getModel().getBlock());
                return null;
            });
        }
        long t2 = System.nanoTime();
        Validation v = validate(trainer.getModel().getBlock(), trainer.getManager());
        long t3 = System.nanoTime();
        String branch = loss instanceof CalfLoss calf ? branchText(calf) : "";
        double lrNow = lr instanceof LearningRateSchedule schedule ? schedule.at((epoch + 1) * state.stepsPerEpoch)
                : c.learningRate();
        state.row = new EpochRow(epoch + 1, state.meanLoss(), v.loss, v.pooled.get("dsc"), v.authors.get("dsc"),
                v.pooled.get("iou"), v.pooled.get("accuracy"), lrNow, (t3 - t0) / 1e9, branch);
        state.trainingSeconds = (t1 - t0) / 1e9;
        state.batchNormSeconds = (t2 - t1) / 1e9;
        state.validationSeconds = (t3 - t2) / 1e9;
        trainer.notifyListeners(l -> l.onEpoch(trainer));
        return state.row;
    }

    /** Slices BatchNorm is re-estimated on: up to {@value #CALIBRATION_SLICES} training slices, a seeded choice. */
    static List<Slice> calibrationSlices(List<Slice> train, long seed) {
        List<Slice> shuffled = new ArrayList<>(train);
        Collections.shuffle(shuffled, new Random(seed ^ 0xBA7C4L));
        return List.copyOf(shuffled.subList(0, Math.min(CALIBRATION_SLICES, shuffled.size())));
    }

    private record Validation(double loss, Map<String, Double> pooled, Map<String, Double> authors) {
    }

    private Validation validate(Block block, NDManager manager) throws IOException {
        List<Slice> slices = data.validation();
        Evaluation e = new Evaluation();
        // CALF's branch tally counts training batches only: validation uses a fresh CALF of the same kind.
        SegmentationLoss validationLoss = loss instanceof CalfLoss calf ? calf.freshCopy() : loss;
        double[] lossSum = {0};
        Inference.forEachBatch(block, manager, index, slices, (part, logits, truth) -> {
            lossSum[0] += validationLoss.fromLogits(logits, truth).getFloat() * part.size();
            Inference.score(e, part, logits, truth, false);
        });
        return new Validation(lossSum[0] / Math.max(1, slices.size()), e.metrics(Reduction.POOLED),
                e.metrics(Reduction.AUTHORS));
    }

    /** {@link BatchNormStatistics#reestimate} on un-augmented training slices, in batches of 32. */
    private void reestimateBatchNorm(Block block) {
        List<Slice> slices = calibration;
        SliceDataset ds = SliceDataset.builder().slices(index, slices).setSampling(CALIBRATION_BATCH, false).build();
        int batches = (slices.size() + CALIBRATION_BATCH - 1) / CALIBRATION_BATCH;
        BatchNormStatistics.reestimate(block, trainer.getManager(), batches, (m, k) -> {
            List<Slice> part = slices.subList(k * CALIBRATION_BATCH, Math.min(slices.size(), (k + 1) * CALIBRATION_BATCH));
            try {
                return Inference.load(m, ds, part)[0].head().toDevice(trainer.getDevices()[0], false);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The metrics.csv's branch column: a dataset-scope CALF's branch, or a per-batch CALF's tally so far. */
    private static String branchText(CalfLoss calf) {
        if (calf.scope() == BranchScope.DATASET) {
            return calf.lastDecision().branch().label();
        }
        StringBuilder sb = new StringBuilder();
        calf.branchCounts().forEach((b, n) -> sb.append(sb.length() == 0 ? "" : " ").append(b.label().replace(' ', '_'))
                .append(':').append(n));
        return sb.toString();
    }
}
