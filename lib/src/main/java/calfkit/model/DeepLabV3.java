package calfkit.model;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DeepLabV3 (Chen et al., 2017) on a dilated {@link ResNetBackbone}: Atrous Spatial Pyramid Pooling over
 * the last stage (a 1×1 branch, three dilated 3×3 branches at rates 6, 12, 18 for output stride 16 and
 * twice those for 8, and an image-pooling branch), fused by a 1×1 convolution, then a 3×3 convolution and a
 * 1×1 classifier, bilinearly upsampled to the input size.
 *
 * <p>{@code plus = true} gives DeepLabV3+ (Chen et al., 2018): a decoder upsamples the ASPP output ×4,
 * concatenates 48 channels projected from stage 1's low-level features, and refines with two 3×3 convolutions
 * before the classifier. The CALF authors' released code trains a class it calls {@code Deeplabv3Plus}
 * ({@code models/deeplabv3.py}) that has no such decoder: a plain convolutional backbone (no residuals, blocks
 * [3, 4, 6, 3], widths 64–512, output stride 32), ASPP at rates 6, 12, 18 with a pooling branch, dropout 0.5, a
 * 3×3 convolution and ×32 bilinear upsampling (docs/protocols.md).
 *
 * <p>The image-pooling branch has no batch norm: on a 1×1 map it would fail for a batch of one.
 */
public final class DeepLabV3 extends SegmentationBlock {

    private final ResNetBackbone backbone;
    private final List<Block> aspp = new ArrayList<>();
    private final Block pooling;
    private final Block project;
    private final Block lowLevel;
    private final Block decoder;
    private final Block classifier;
    private final boolean plus;
    private final int channels;

    public DeepLabV3(int[] blocks, int width, int outputStride, int asppChannels, boolean plus) {
        super();
        this.plus = plus;
        this.channels = asppChannels;
        backbone = addChildBlock("backbone", new ResNetBackbone(blocks, width, outputStride));
        int base = outputStride == 8 ? 12 : 6;
        aspp.add(addChildBlock("aspp1x1", Layers.convBnRelu(asppChannels, 1, 1, 1)));
        for (int i = 1; i <= 3; i++) {
            aspp.add(addChildBlock("aspp" + i, Layers.convBnRelu(asppChannels, 3, 1, base * i)));
        }
        pooling = addChildBlock("pooling", new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(asppChannels).build())
                .add(Activation.reluBlock()));
        project = addChildBlock("project", new SequentialBlock().add(Layers.convBnRelu(asppChannels, 1, 1, 1))
                .add(Dropout.builder().optRate(0.1f).build()));
        if (plus) {
            lowLevel = addChildBlock("lowLevel", Layers.convBnRelu(48, 1, 1, 1));
            decoder = addChildBlock("decoder", new SequentialBlock().add(Layers.convBnRelu(asppChannels, 3, 1, 1))
                    .add(Layers.convBnRelu(asppChannels, 3, 1, 1)));
        } else {
            lowLevel = null;
            decoder = addChildBlock("head", Layers.convBnRelu(asppChannels, 3, 1, 1));
        }
        classifier = addChildBlock("classifier", Layers.conv1x1(1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Shape in = inputs.head().getShape();
        NDList features = backbone.forward(ps, inputs, training);
        NDArray top = features.get(3);
        NDList branches = new NDList();
        for (Block b : aspp) {
            branches.add(b.forward(ps, new NDList(top), training).head());
        }
        NDArray pooled = pooling.forward(ps, new NDList(Pool.globalAvgPool2d(top)
                .reshape(top.getShape().get(0), top.getShape().get(1), 1, 1)), training).head();
        branches.add(pooled.broadcast(top.getShape().get(0), channels, top.getShape().get(2), top.getShape().get(3)));
        NDArray x = project.forward(ps, new NDList(ai.djl.ndarray.NDArrays.concat(branches, 1)), training).head();
        if (plus) {
            NDArray low = features.get(0);
            NDArray l = lowLevel.forward(ps, new NDList(low), training).head();
            x = Layers.resize(x, low.getShape().get(2), low.getShape().get(3));
            x = decoder.forward(ps, new NDList(x.concat(l, 1)), training).head();
        } else {
            x = decoder.forward(ps, new NDList(x), training).head();
        }
        x = classifier.forward(ps, new NDList(x), training).head();
        return new NDList(Layers.resize(x, in.get(2), in.get(3)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        backbone.initialize(manager, dataType, in);
        Shape[] f = backbone.getOutputShapes(new Shape[] {in});
        Shape top = f[3];
        long n = in.get(0);
        for (Block b : aspp) {
            b.initialize(manager, dataType, top);
        }
        pooling.initialize(manager, dataType, new Shape(n, top.get(1), 1, 1));
        Shape cat = new Shape(n, (long) channels * 5, top.get(2), top.get(3));
        project.initialize(manager, dataType, cat);
        Shape x = new Shape(n, channels, top.get(2), top.get(3));
        if (plus) {
            lowLevel.initialize(manager, dataType, f[0]);
            Shape joined = new Shape(n, channels + 48L, f[0].get(2), f[0].get(3));
            decoder.initialize(manager, dataType, joined);
            x = new Shape(n, channels, f[0].get(2), f[0].get(3));
        } else {
            decoder.initialize(manager, dataType, x);
        }
        classifier.initialize(manager, dataType, x);
    }
    @Override
    protected Block classifier() {
        return classifier;
    }

}
