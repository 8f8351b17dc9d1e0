package calfkit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

/** The kit's architectures: an (N, C, H, W) image in, (N, 1, H, W) logits of the same size out. */
public abstract class SegmentationBlock extends AbstractBlock {

    protected SegmentationBlock() {
        super((byte) 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), 1, s.get(2), s.get(3))};
    }

    /** The last layer: the 1×1 convolution, with bias, that gives the logits. */
    protected abstract Block classifier();

    /**
     * Sets the classifier's bias to the log-odds of a foreground fraction, log(π / (1 − π)), so that an untrained
     * model predicts probability π everywhere (the prior-probability initialisation of Lin et al., RetinaNet,
     * 2017). Call after the block is initialised; π is clamped to [1e-4, 1 − 1e-4].
     *
     * @return the bias set
     */
    public float setPriorBias(double foregroundFraction) {
        if (!(foregroundFraction >= 0 && foregroundFraction <= 1)) {
            throw new IllegalArgumentException("foreground fraction must be in [0, 1], got " + foregroundFraction);
        }
        double p = Math.min(1 - 1e-4, Math.max(1e-4, foregroundFraction));
        float bias = (float) Math.log(p / (1 - p));
        Parameter b = classifier().getParameters().get("bias");
        if (b == null || !b.isInitialized()) {
            throw new IllegalStateException("the classifier of " + this + " has no initialised bias");
        }
        NDArray a = b.getArray();
        a.muli(0).addi(bias);
        return bias;
    }
}
