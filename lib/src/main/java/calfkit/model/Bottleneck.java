package calfkit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * ResNet's bottleneck residual block (He et al.): 1×1 → 3×3 (stride, dilation) → 1×1 convolutions with
 * batch norm, expanding to 4 × {@code planes} channels, plus a shortcut (1×1 convolution with stride when
 * the shape changes), then ReLU. DJL's model zoo ResNet has no dilated stages, which DeepLabV3 needs.
 */
final class Bottleneck extends AbstractBlock {

    static final int EXPANSION = 4;
    private final Block body;
    private final Block shortcut;

    Bottleneck(int planes, int stride, int dilation, boolean project) {
        super((byte) 1);
        body = addChildBlock("body", new SequentialBlock()
                .add(Layers.convBnRelu(planes, 1, 1, 1))
                .add(Layers.convBnRelu(planes, 3, stride, dilation))
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(planes * EXPANSION).optBias(false).build())
                .add(BatchNorm.builder().build()));
        shortcut = project ? addChildBlock("shortcut", new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).optStride(new Shape(stride, stride))
                        .setFilters(planes * EXPANSION).optBias(false).build())
                .add(BatchNorm.builder().build())) : null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray y = body.forward(ps, inputs, training).head();
        NDArray s = shortcut == null ? x : shortcut.forward(ps, inputs, training).head();
        return new NDList(Activation.relu(y.add(s)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return body.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
        }
    }
}
