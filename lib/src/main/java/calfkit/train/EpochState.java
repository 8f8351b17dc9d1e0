package calfkit.train;

import ai.djl.training.dataset.Batch;

/**
 * Where the training loop is, for its listeners: DJL calls a {@code TrainingListener} with the trainer alone, so
 * the loop writes here what the listeners read (the epoch, the last batch and its loss, the epoch's mean loss so
 * far and, once the epoch is validated, its row and how its seconds were spent).
 */
final class EpochState {

    /** The run's epochs (more when it is extended: {@link PlateauExtension}) and the batches of one epoch. */
    int epochs;
    final int stepsPerEpoch;
    /** The epoch being trained, from 0. */
    int epoch;
    /** Batches seen this epoch (skipped ones included), from 1. */
    int step;
    /** Batches of this epoch with a finite loss, and the sum of their losses. */
    int batches;
    double lossSum;
    /** The last batch and its loss (non-finite: it was skipped without an update). */
    Batch lastBatch;
    double lastLoss;
    /** The finished epoch's row, and its seconds: training, BatchNorm re-estimation, validation. */
    EpochRow row;
    double trainingSeconds;
    double batchNormSeconds;
    double validationSeconds;

    EpochState(int epochs, int stepsPerEpoch) {
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    void startEpoch(int e) {
        epoch = e;
        step = 0;
        batches = 0;
        lossSum = 0;
        row = null;
    }

    /** Records a training step's batch and loss; a finite loss counts towards the epoch's mean. */
    void stepDone(Batch b, double loss) {
        step++;
        lastBatch = b;
        lastLoss = loss;
        if (Double.isFinite(loss)) {
            batches++;
            lossSum += loss;
        }
    }

    /** The mean training loss over this epoch's finite batches so far. */
    double meanLoss() {
        return lossSum / Math.max(1, batches);
    }
}
