package calfkit.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;

import calfkit.data.Slice;
import calfkit.data.SliceDataset;

/**
 * The NaN guard, a DJL training listener: a batch whose loss is not finite was skipped by the step without an
 * update (as a mixed-precision gradient scaler skips an overflowing step); this writes its slices to
 * {@code nan-batch.txt}, warns in the log, and stops the run after {@value #MAX_IN_A_ROW} such batches in a row
 * (across epochs), since the parameters themselves have then gone bad.
 */
final class NonFiniteGuard extends TrainingListenerAdapter {

    /** Non-finite training losses in a row after which a run stops. */
    static final int MAX_IN_A_ROW = 3;

    private final RunFolder folder;
    private final SliceDataset dataset;
    private final EpochState state;
    private final PrintStream log;
    private int inRow;

    NonFiniteGuard(RunFolder folder, SliceDataset dataset, EpochState state, PrintStream log) {
        this.folder = folder;
        this.dataset = dataset;
        this.state = state;
        this.log = log;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (Double.isFinite(state.lastLoss)) {
            inRow = 0;
            return;
        }
        inRow++;
        Path file = folder.dir().resolve(RunFolder.NAN_BATCH);
        try {
            writeNanBatch(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (inRow >= MAX_IN_A_ROW) {
            throw new IllegalStateException("loss is " + state.lastLoss + " at epoch " + (state.epoch + 1) + ", batch "
                    + state.step + ": " + inRow + " batches in a row with a non-finite loss (each skipped without an "
                    + "update); their slices are in " + file);
        }
        log.printf("  WARNING: loss is %s at epoch %d, batch %d: the batch is skipped (no update); its slices are listed "
                + "in %s%n", state.lastLoss, state.epoch + 1, state.step, file);
    }

    private void writeNanBatch(Path file) throws IOException {
        StringBuilder sb = new StringBuilder(Files.isRegularFile(file) ? Files.readString(file) : "");
        sb.append("non-finite loss at epoch ").append(state.epoch + 1).append(", batch ").append(state.step).append('\n');
        List<?> indices = state.lastBatch.getIndices();
        if (indices != null) {
            for (Object i : indices) {
                Slice s = dataset.slices().get(((Number) i).intValue());
                sb.append(s.image()).append('\t').append(s.mask()).append('\n');
            }
        }
        folder.write(RunFolder.NAN_BATCH, sb.toString());
    }
}
