package calfkit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A 2×2, stride-2 transposed convolution (PyTorch's {@code nn.ConvTranspose2d(c_in, c_out, 2, stride=2)}, the
 * CALF authors' U-Net upsampling), built from operations DJL's PyTorch engine has: its {@code deconvolution} is not
 * implemented. With stride equal to kernel the output's 2×2 blocks do not overlap, so
 * <pre>
 *   out[c, 2i + a, 2j + b] = bias[c] + Σ_k W[k, c, a, b] · x[k, i, j]
 * </pre>
 * is a 1×1 convolution to 4·c_out channels (no bias) rearranged depth-to-space, plus one bias per output channel:
 * the same function and the same parameters (c_in · c_out · 4 weights, c_out biases) as the transposed convolution.
 */
public final class UpConv2x2 extends AbstractBlock {

    private final int filters;
    private final Block conv;
    private final Parameter bias;

    public UpConv2x2(int filters) {
        super((byte) 1);
        this.filters = filters;
        conv = addChildBlock("conv", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(4 * filters)
                .optBias(false).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(filters)).optInitializer(Initializer.ZEROS).build());
    }

    /** Output channels (PyTorch's {@code out_channels}). */
    public int filters() {
        return filters;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        Shape s = x.getShape();
        long n = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        NDArray y = conv.forward(ps, inputs, training).head()     // (N, 4C, H, W), channel = c·4 + a·2 + b
                .reshape(n, filters, 2, 2, h, w)
                .transpose(0, 1, 4, 2, 5, 3)                       // (N, C, H, a, W, b)
                .reshape(n, filters, 2 * h, 2 * w);
        NDArray b = ps.getValue(bias, x.getDevice(), training).reshape(1, filters, 1, 1);
        return new NDList(y.add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), filters, 2 * s.get(2), 2 * s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
    }
}
