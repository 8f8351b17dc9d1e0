package calfkit.model;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * U-Net (Ronneberger et al., 2015): an encoder of {@code depth} down-sampling levels (double 3×3 convolution,
 * then 2×2 max pooling) and a decoder that upsamples (bilinear ×2, then a 3×3 convolution, since DJL's
 * PyTorch engine has no transposed convolution), concatenates the encoder's features of the same level and
 * applies a double convolution; a 1×1 convolution gives one channel of logits. Channels double per level
 * from {@code width}. Padded convolutions: the output has the input's size; H and W must be divisible by
 * 2^depth. The paper's size is depth 4, width 64 (31 M parameters).
 *
 * <p>{@code authors}: the CALF authors' U-Net ({@code models/u_net.py}): a 2×2 stride-2 transposed convolution
 * upsamples ({@link UpConv2x2}, no batch norm or ReLU after it) and every 3×3 convolution keeps its bias, as
 * PyTorch's {@code nn.Conv2d} default (at depth 4, width 64: 31,042,369 trainable parameters, as theirs).
 */
public final class UNet extends SegmentationBlock {

    private final int depth;
    private final int width;
    private final boolean authors;
    private final List<Block> encoders = new ArrayList<>();
    private final List<Block> ups = new ArrayList<>();
    private final List<Block> decoders = new ArrayList<>();
    private final Block head;

    public UNet(int depth, int width) {
        this(depth, width, false);
    }

    /** @param authors the authors' upsampling and convolution biases (class comment) */
    public UNet(int depth, int width, boolean authors) {
        super();
        if (depth < 1 || width < 1) {
            throw new IllegalArgumentException("U-Net depth and width must be ≥ 1, got " + depth + ", " + width);
        }
        this.depth = depth;
        this.width = width;
        this.authors = authors;
        for (int l = 0; l <= depth; l++) {
            encoders.add(addChildBlock("enc" + l, Layers.doubleConv(width << l, authors)));
        }
        for (int l = depth - 1; l >= 0; l--) {
            ups.add(addChildBlock("up" + l, authors ? new UpConv2x2(width << l) : Layers.convBnRelu(width << l, 3, 1, 1)));
            decoders.add(addChildBlock("dec" + l, Layers.doubleConv(width << l, authors)));
        }
        head = addChildBlock("head", Layers.conv1x1(1));
    }

    public int depth() {
        return depth;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        checkSize(x.getShape());
        List<NDArray> skips = new ArrayList<>();
        for (int l = 0; l <= depth; l++) {
            if (l > 0) {
                x = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            }
            x = encoders.get(l).forward(ps, new NDList(x), training).head();
            skips.add(x);
        }
        for (int i = 0; i < depth; i++) {
            int l = depth - 1 - i;
            NDArray skip = skips.get(l);
            if (!authors) {
                x = Layers.resize(x, skip.getShape().get(2), skip.getShape().get(3));
            }
            x = ups.get(i).forward(ps, new NDList(x), training).head();
            x = decoders.get(i).forward(ps, new NDList(skip.concat(x, 1)), training).head();
        }
        return head.forward(ps, new NDList(x), training);
    }

    private void checkSize(Shape s) {
        long f = 1L << depth;
        if (s.dimension() != 4 || s.get(2) % f != 0 || s.get(3) % f != 0) {
            throw new IllegalArgumentException("U-Net of depth " + depth + " needs (N, C, H, W) input with H and W "
                    + "divisible by " + f + ", got " + s);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        checkSize(in);
        long n = in.get(0);
        Shape x = in;
        Shape[] skips = new Shape[depth + 1];
        for (int l = 0; l <= depth; l++) {
            if (l > 0) {
                x = new Shape(n, x.get(1), x.get(2) / 2, x.get(3) / 2);
            }
            encoders.get(l).initialize(manager, dataType, x);
            x = Layers.out(encoders.get(l), x);
            skips[l] = x;
        }
        for (int i = 0; i < depth; i++) {
            int l = depth - 1 - i;
            if (!authors) {
                x = new Shape(n, x.get(1), skips[l].get(2), skips[l].get(3));
            }
            ups.get(i).initialize(manager, dataType, x);
            x = Layers.out(ups.get(i), x);
            Shape cat = new Shape(n, skips[l].get(1) + x.get(1), x.get(2), x.get(3));
            decoders.get(i).initialize(manager, dataType, cat);
            x = Layers.out(decoders.get(i), cat);
        }
        head.initialize(manager, dataType, x);
    }

    @Override
    protected Block classifier() {
        return head;
    }

    @Override
    public String toString() {
        return "U-Net(depth " + depth + ", width " + width + (authors ? ", the authors'" : "") + ")";
    }
}
