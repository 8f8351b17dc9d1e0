package calfkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;

import calfkit.engine.ThreadGradients;

/**
 * One training step, the one every run takes ({@link Epoch}) and {@code TrainStepBenchmark} times: forward on every
 * device's share of the batch, the loss, backward, then the optimiser's update.
 */
public final class TrainStep {

    private TrainStep() {
    }

    /**
     * Returns the batch's mean loss; a non-finite loss returns before backward, so that no update happens (the
     * caller skips the batch). A batch whose gradients are all zero (the authors' per-image Dice on tumour-free
     * slices: loss 1, no gradient) changes no weight; DJL's trainer refuses such a step until its first non-zero one
     * ({@code Trainer.checkGradients}), so the kit skips it there, as the update would have been zero.
     */
    public static double step(Trainer trainer, Batch batch) {
        return step(trainer, batch, null, 0);
    }

    /**
     * As {@link #step(Trainer, Batch)}, each forward pass drawing its Dropout masks from the generator seeded for
     * step {@code position} of the run ({@link RunRandom}; null: from the generator as it is). The gradients are
     * collected for this thread only ({@link ThreadGradients}), so runs on other threads may step at the same time.
     */
    static double step(Trainer trainer, Batch batch, RunRandom random, long position) {
        Batch[] splits = batch.split(trainer.getDevices(), false);
        double total = 0;
        try (GradientCollector gc = new ThreadGradients()) {
            for (int k = 0; k < splits.length; k++) {
                Batch s = splits[k];
                long draw = position * splits.length + k;  // each device's share its own masks
                NDList preds = random == null ? trainer.forward(s.getData(), s.getLabels())
                        : random.masks(draw, () -> trainer.forward(s.getData(), s.getLabels()));
                NDArray l = trainer.getLoss().evaluate(s.getLabels(), preds);
                float value = l.getFloat();
                if (!Float.isFinite(value)) {
                    return value;
                }
                gc.backward(l);
                total += value * s.getSize();
            }
        }
        try {
            trainer.step();
        } catch (IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("Gradient values are all zeros")) {
                throw e;
            }
        }
        return total / batch.getSize();
    }
}
