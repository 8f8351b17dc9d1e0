package calfkit.model;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A ResNet encoder of bottleneck blocks returning its four stages' features C2..C5 (strides 4, 8, 16, 32 of
 * the input, or less where stages are dilated instead of strided).
 *
 * <p>{@code blocks} gives the blocks per stage ([3, 4, 6, 3] is ResNet-50; [2, 2, 2, 2] the authors' FPN);
 * stage i has {@code width·2^i} bottleneck planes (width 64 in ResNet). {@code outputStride} 32 is the
 * classification network; 16 dilates stage 4 (rate 2); 8 dilates stage 3 (rate 2) and stage 4 (rate 4),
 * as DeepLabV3 does. The stem is a 7×7 stride-2 convolution and 3×3 stride-2 max pooling.
 */
public final class ResNetBackbone extends AbstractBlock {

    private final Block stem;
    private final List<Block> stages = new ArrayList<>();
    private final int width;
    private final boolean pool;

    public ResNetBackbone(int[] blocks, int width, int outputStride) {
        this(blocks, width, outputStride, true);
    }

    /**
     * @param pool whether the stem ends with the 3×3 stride-2 max pooling (ResNet); without it every stage
     *             runs at twice the resolution (C2 at stride 2), as ResNets for small images do
     */
    public ResNetBackbone(int[] blocks, int width, int outputStride, boolean pool) {
        super((byte) 1);
        this.pool = pool;
        if (blocks.length != 4) {
            throw new IllegalArgumentException("a ResNet backbone has 4 stages, got " + blocks.length);
        }
        if (outputStride != 8 && outputStride != 16 && outputStride != 32) {
            throw new IllegalArgumentException("output stride must be 8, 16 or 32, got " + outputStride);
        }
        this.width = width;
        stem = addChildBlock("stem", new SequentialBlock().add(Layers.convBnRelu(width, 7, 2, 1)));
        int[] strides = {1, 2, outputStride == 8 ? 1 : 2, outputStride == 32 ? 2 : 1};
        int[] dilations = {1, 1, outputStride == 8 ? 2 : 1, outputStride == 32 ? 1 : outputStride == 16 ? 2 : 4};
        for (int i = 0; i < 4; i++) {
            SequentialBlock stage = new SequentialBlock();
            for (int b = 0; b < blocks[i]; b++) {
                stage.add(new Bottleneck(width << i, b == 0 ? strides[i] : 1, dilations[i], b == 0));
            }
            stages.add(addChildBlock("stage" + (i + 1), stage));
        }
    }

    /** Channels of stage i's output (0..3). */
    public int channels(int stage) {
        return (width << stage) * Bottleneck.EXPANSION;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = stem.forward(ps, inputs, training).head();
        if (pool) {
            x = Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
        }
        NDList features = new NDList();
        for (Block stage : stages) {
            x = stage.forward(ps, new NDList(x), training).head();
            features.add(x);
        }
        return features;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = afterStem(inputShapes[0]);
        Shape[] out = new Shape[4];
        for (int i = 0; i < 4; i++) {
            x = Layers.out(stages.get(i), x);
            out[i] = x;
        }
        return out;
    }

    private Shape afterStem(Shape in) {
        Shape s = Layers.out(stem, in);
        if (!pool) {
            return s;
        }
        return new Shape(s.get(0), s.get(1), (s.get(2) - 1) / 2 + 1, (s.get(3) - 1) / 2 + 1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        stem.initialize(manager, dataType, inputShapes[0]);
        Shape x = afterStem(inputShapes[0]);
        for (Block stage : stages) {
            stage.initialize(manager, dataType, x);
            x = Layers.out(stage, x);
        }
    }
}
