package calfkit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

/** Small building blocks shared by the kit's architectures. */
public final class Layers {

    /** DJL's PyTorch engine interpolation mode for bilinear (align_corners = false). */
    private static final int BILINEAR = 1;

    private Layers() {
    }

    /** Convolution (no bias) → batch norm → ReLU, "same" padding. */
    public static SequentialBlock convBnRelu(int filters, int kernel, int stride, int dilation) {
        return convBnRelu(filters, kernel, stride, dilation, false);
    }

    /**
     * Convolution → batch norm → ReLU, "same" padding; {@code bias}: the convolution keeps its bias (PyTorch's
     * {@code nn.Conv2d} default, which the CALF authors' U-Net keeps before its batch norms).
     */
    public static SequentialBlock convBnRelu(int filters, int kernel, int stride, int dilation, boolean bias) {
        int pad = dilation * (kernel - 1) / 2;
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                        .optPadding(new Shape(pad, pad)).optDilation(new Shape(dilation, dilation)).setFilters(filters)
                        .optBias(bias).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }

    /** Two 3×3 conv-BN-ReLU layers (U-Net's double convolution). */
    public static SequentialBlock doubleConv(int filters) {
        return doubleConv(filters, false);
    }

    /** Two 3×3 {@link #convBnRelu} blocks; {@code bias} as there. */
    public static SequentialBlock doubleConv(int filters, boolean bias) {
        return new SequentialBlock().add(convBnRelu(filters, 3, 1, 1, bias)).add(convBnRelu(filters, 3, 1, 1, bias));
    }

    /** A 1×1 convolution with bias (heads: logits). */
    public static Block conv1x1(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(filters).build();
    }

    /**
     * Bilinear resize (align_corners = false) of an (N, C, H, W) array to (N, C, h, w); the same array when the
     * size is already (h, w). DJL 0.35.1's PyTorch engine has no transposed convolution, so the kit's decoders
     * upsample this way and convolve after. DJL runs PyTorch's antialiased kernel: upsampling (every use in the
     * kit) gives plain bilinear's values, shrinking low-pass filters first (tested against PyTorch). Its
     * backward takes 2.2–2.6× PyTorch 1.13's plain kernel (environment/benchmarks/RESULTS.md, "ops").
     */
    public static NDArray resize(NDArray x, long h, long w) {
        return resize(x, h, w, false);
    }

    /** Bilinear resize of an NCHW array to h × w, with PyTorch's {@code align_corners} as given. */
    public static NDArray resize(NDArray x, long h, long w, boolean alignCorners) {
        Shape s = x.getShape();
        if (s.get(2) == h && s.get(3) == w) {
            return x;
        }
        // DJL has no public NCHW bilinear resize with autograd (NDImageUtils.resize is for HWC images): the
        // engine's interpolation through the internal NDArray API.
        return x.getNDArrayInternal().interpolation(new long[] {h, w}, BILINEAR, alignCorners);
    }

    /** The output shape of a block for one input shape. */
    static Shape out(Block block, Shape in) {
        return block.getOutputShapes(new Shape[] {in})[0];
    }
}
