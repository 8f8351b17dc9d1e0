package calfkit.train;

import java.io.IOException;
import java.io.UncheckedIOException;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;

/**
 * Checkpoints and {@code metrics.csv}, a DJL training listener: at the end of each epoch it saves the epoch's
 * checkpoint, then the best model when the epoch's selection DSC ({@link Convergence#selectionDsc}) beats the
 * best so far (under the authors' protocol: every epoch, so the last one is tested), then appends the epoch's
 * row, then prunes old checkpoints. The row comes last: an epoch is finished once its row is written
 * ({@link RunFolder}), so a run killed at any moment resumes after its last whole epoch.
 */
final class RunRecorder extends TrainingListenerAdapter {

    private final RunFolder folder;
    private final Recipe recipe;
    private final boolean lastEpoch;
    private final EpochState state;
    private double bestDsc;

    /**
     * @param bestDsc   the best selection DSC of the epochs already recorded (a resumed run's)
     * @param lastEpoch whether every epoch replaces the model to test (the authors' protocol tests the last epoch)
     */
    RunRecorder(RunFolder folder, Recipe recipe, boolean lastEpoch, double bestDsc, EpochState state) {
        this.folder = folder;
        this.recipe = recipe;
        this.lastEpoch = lastEpoch;
        this.bestDsc = bestDsc;
        this.state = state;
    }

    @Override
    public void onEpoch(Trainer trainer) {
        int epoch = state.epoch + 1;
        try {
            folder.checkpoints().save(trainer.getModel(), epoch);
            double selection = Convergence.selectionDsc(state.row, recipe);
            if (lastEpoch || selection > bestDsc) {
                bestDsc = Math.max(bestDsc, selection);
                folder.checkpoints().saveBest(trainer.getModel(), epoch);
            }
            folder.appendMetrics(state.row);
            folder.checkpoints().prune(epoch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
