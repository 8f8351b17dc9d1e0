package calfkit.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;

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
}
