package calfkit.train;

/**
 * What a training run tells whoever watches it (a notebook's progress line), as it happens: each training batch,
 * and each epoch once it is recorded in {@code metrics.csv}. Called on the training thread; keep it cheap. The run's
 * own work at those moments (the NaN guard, checkpoints and {@code metrics.csv}, the log) is done by DJL
 * {@code TrainingListener}s ({@link NonFiniteGuard}, {@link RunRecorder}, {@link ProgressLog}); the last one passes
 * the news on to this.
 */
public interface ProgressListener {

    /** Nobody watching. */
    ProgressListener NONE = new ProgressListener() { };

    /**
     * After a training batch.
     *
     * @param epoch    the epoch being trained, from 1
     * @param epochs   the run's epochs
     * @param batch    the batches of this epoch done so far, from 1
     * @param batches  the batches of an epoch
     * @param meanLoss the mean training loss over this epoch's batches so far
     */
    default void onBatch(int epoch, int epochs, int batch, int batches, double meanLoss) {
    }

    /** After an epoch's row is recorded (its checkpoint saved): the epoch is finished. */
    default void onEpoch(EpochRow row, int epochs) {
    }
}
