package calfkit.model;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The network the CALF authors' released code trains as {@code Deeplabv3Plus} ({@code models/deeplabv3.py}),
 * which is neither DeepLabV3 nor V3+ as published ({@link DeepLabV3} is): a plain convolutional encoder (a 7×7
 * stride-2 convolution, batch norm, ReLU, 3×3 stride-2 max pooling, then stages of 3×3 conv-BN-ReLU, no
 * residuals: {@code blocks} per stage, {@code width}·2^i channels, the first of stages 2–4 with stride 2: output
 * stride 32); ASPP at rates 6, 12, 18 with a 1×1 branch and an image-pooling branch (1×1 convolution, batch norm,
 * ReLU), fused by a 1×1 conv-BN-ReLU and dropout 0.5; a 3×3 conv-BN-ReLU and a 1×1 classifier; bilinear
 * upsampling ×32 (here to the input's size, the same for sides divisible by 32, as the paper's 256). No
 * low-level decoder. Paper size: blocks [3, 4, 6, 3], width 64, ASPP 256.
 */
public final class AuthorsDeepLab extends SegmentationBlock {

    private final Block encoder;
    private final List<Block> aspp = new ArrayList<>();
    private final Block pooling;
    private final Block project;
    private final Block decoder;
    private final Block classifier;
    private final int channels;

    public AuthorsDeepLab(int[] blocks, int width, int asppChannels) {
        super();
        this.channels = asppChannels;
        SequentialBlock enc = new SequentialBlock().add(Layers.convBnRelu(width, 7, 2, 1))
                .add(x -> new NDList(Pool.maxPool2d(x.head(), new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false)));
        for (int i = 0; i < blocks.length; i++) {
            for (int b = 0; b < blocks[i]; b++) {
                enc.add(Layers.convBnRelu(width << i, 3, b == 0 && i > 0 ? 2 : 1, 1));
            }
        }
        encoder = addChildBlock("encoder", enc);
        aspp.add(addChildBlock("aspp1x1", Layers.convBnRelu(asppChannels, 1, 1, 1)));
        for (int rate : new int[] {6, 12, 18}) {
            aspp.add(addChildBlock("aspp" + rate, Layers.convBnRelu(asppChannels, 3, 1, rate)));
        }
        pooling = addChildBlock("pooling", Layers.convBnRelu(asppChannels, 1, 1, 1));
        project = addChildBlock("project", new SequentialBlock().add(Layers.convBnRelu(asppChannels, 1, 1, 1))
                .add(Dropout.builder().optRate(0.5f).build()));
        decoder = addChildBlock("decoder", Layers.convBnRelu(asppChannels, 3, 1, 1));
        classifier = addChildBlock("classifier", Layers.conv1x1(1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Shape in = inputs.head().getShape();
        NDArray top = encoder.forward(ps, inputs, training).head();
        Shape t = top.getShape();
        NDList branches = new NDList();
        for (Block b : aspp) {
            branches.add(b.forward(ps, new NDList(top), training).head());
        }
        NDArray pooled = pooling.forward(ps, new NDList(Pool.globalAvgPool2d(top).reshape(t.get(0), t.get(1), 1, 1)),
                training).head();
        branches.add(pooled.broadcast(t.get(0), channels, t.get(2), t.get(3))); // bilinear from 1×1: a broadcast
        NDArray x = project.forward(ps, new NDList(NDArrays.concat(branches, 1)), training).head();
        x = classifier.forward(ps, decoder.forward(ps, new NDList(x), training), training).head();
        return new NDList(Layers.resize(x, in.get(2), in.get(3)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        encoder.initialize(manager, dataType, in);
        Shape top = Layers.out(encoder, in);
        long n = in.get(0);
        for (Block b : aspp) {
            b.initialize(manager, dataType, top);
        }
        pooling.initialize(manager, dataType, new Shape(n, top.get(1), 1, 1));
        project.initialize(manager, dataType, new Shape(n, (long) channels * 5, top.get(2), top.get(3)));
        Shape x = new Shape(n, channels, top.get(2), top.get(3));
        decoder.initialize(manager, dataType, x);
        classifier.initialize(manager, dataType, x);
    }

    @Override
    protected Block classifier() {
        return classifier;
    }
}
