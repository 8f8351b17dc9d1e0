package calfkit.train;

/**
 * What a training run tells whoever watches it, as it happens: each training batch, and each epoch once it is
 * recorded in {@code metrics.csv}. Called on the training thread; keep it cheap.
 */
public interface TrainingListener {

    /** Nobody watching. */
    TrainingListener NONE = new TrainingListener() { };

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
