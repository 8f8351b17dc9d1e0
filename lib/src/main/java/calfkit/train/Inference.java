package calfkit.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import calfkit.data.Slice;
import calfkit.data.SliceDataset;
import calfkit.data.SliceIndex;
import calfkit.metrics.Evaluation;
import calfkit.metrics.ImageScores;

/**
 * The one predict loop of the kit: slices in batches of {@link #BATCH}, in their given order, un-augmented, through a
 * block in inference mode (BatchNorm's running statistics, no dropout). Validation, testing, {@code calf eval} and
 * the prediction explorer all predict through it, so that they see the same logits for the same slice.
 */
public final class Inference {

    /**
     * Slices per batch, whatever the training batch: the authors' per-batch reduction averages DSC over batches,
     * and their {@code scripts/run_training.py} tests in batches of 32 ({@code batch_size = 32} for the test loader
     * too). Larger batches also infer faster on a CPU.
     */
    public static final int BATCH = 32;

    /** What is done with each batch's predictions. */
    @FunctionalInterface
    public interface BatchConsumer {
        /**
         * @param part   the batch's slices, in order
         * @param logits the block's output, shape (n, 1, H, W): logits, not probabilities
         * @param truth  the masks, same shape, 0/1
         */
        void accept(List<Slice> part, NDArray logits, NDArray truth) throws IOException;
    }

    private Inference() {
    }

    /**
     * Predicts {@code slices} in batches of {@link #BATCH}; every array of a batch, outputs included, lives in a
     * sub-manager of {@code manager} (on its device) closed after the consumer returns.
     */
    public static void forEachBatch(Block block, NDManager manager, SliceIndex index, List<Slice> slices,
                                    BatchConsumer consumer) throws IOException {
        SliceDataset ds = SliceDataset.builder().slices(index, slices).setSampling(BATCH, false).build();
        for (int from = 0; from < slices.size(); from += BATCH) {
            List<Slice> part = slices.subList(from, Math.min(slices.size(), from + BATCH));
            try (NDManager sub = manager.newSubManager()) {
                NDList[] xy = load(sub, ds, part);
                NDArray logits = block.forward(new ParameterStore(sub, false), xy[0], false).head();
                consumer.accept(part, logits, xy[1].head());
            }
        }
    }

    /** The images and masks of slices of one size as two (n, 1, H, W) arrays. */
    static NDList[] load(NDManager manager, SliceDataset ds, List<Slice> part) throws IOException {
        Slice s0 = part.get(0);
        int pixels = s0.width() * s0.height();
        float[] x = new float[part.size() * pixels];
        float[] y = new float[part.size() * pixels];
        for (int i = 0; i < part.size(); i++) {
            float[][] pair = ds.load(part.get(i));
            System.arraycopy(pair[0], 0, x, i * pixels, pixels);
            System.arraycopy(pair[1], 0, y, i * pixels, pixels);
        }
        Shape shape = new Shape(part.size(), 1, s0.height(), s0.width());
        return new NDList[] {new NDList(manager.create(x, shape)), new NDList(manager.create(y, shape))};
    }

    /** Predicts slices (this loop) with a trained block and scores them (HD95 included). */
    public static Evaluation evaluate(Block block, NDManager manager, SliceIndex index, List<Slice> slices)
            throws IOException {
        Evaluation e = new Evaluation();
        forEachBatch(block, manager, index, slices, (part, logits, truth) -> score(e, part, logits, truth, true));
        return e;
    }

    static void score(Evaluation e, List<Slice> part, NDArray logits, NDArray truth, boolean hd95) {
        float[] p = logits.toFloatArray();
        float[] t = truth.toFloatArray();
        int w = part.get(0).width();
        int h = part.get(0).height();
        List<String> ids = new ArrayList<>();
        List<ImageScores> scores = new ArrayList<>();
        for (int i = 0; i < part.size(); i++) {
            ids.add(part.get(i).image());
            scores.add(ImageScores.of(p, i * w * h, t, i * w * h, w, h, hd95));
        }
        e.addBatch(ids, scores);
    }
}
