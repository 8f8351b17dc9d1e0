package calfkit.model;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The FPN of the CALF authors' released code ({@code models/fpn_net.py}, after Lin et al.'s detection FPN): a
 * ResNet bottleneck backbone ({@link ResNetBackbone}, blocks [2, 2, 2, 2] at the paper's size, stem pooling,
 * output stride 32); 1×1 lateral convolutions (with bias) bring C2..C5 to {@code pyramidChannels}; the top-down
 * path adds each bilinearly upsampled coarser level (P5..P2); only P2 is used: one 3×3 convolution (with bias, no
 * batch norm or ReLU: their {@code smooth3}), a 1×1 classifier, and bilinear upsampling ×4 to the input's size
 * with {@code align_corners=True}. The kit's {@link Fpn} sums all four levels through a panoptic head instead.
 */
public final class AuthorsFpn extends SegmentationBlock {

    private final ResNetBackbone backbone;
    private final List<Block> laterals = new ArrayList<>();
    private final Block smooth;
    private final Block classifier;
    private final int pyramidChannels;

    public AuthorsFpn(int[] blocks, int width, int pyramidChannels) {
        super();
        this.pyramidChannels = pyramidChannels;
        backbone = addChildBlock("backbone", new ResNetBackbone(blocks, width, 32, true));
        for (int i = 0; i < 4; i++) {
            laterals.add(addChildBlock("lateral" + (i + 2), Layers.conv1x1(pyramidChannels)));
        }
        smooth = addChildBlock("smooth", Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .setFilters(pyramidChannels).build());
        classifier = addChildBlock("classifier", Layers.conv1x1(1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Shape in = inputs.head().getShape();
        NDList c = backbone.forward(ps, inputs, training);
        NDArray p = laterals.get(3).forward(ps, new NDList(c.get(3)), training).head();
        for (int i = 2; i >= 0; i--) {
            NDArray lateral = laterals.get(i).forward(ps, new NDList(c.get(i)), training).head();
            p = lateral.add(Layers.resize(p, lateral.getShape().get(2), lateral.getShape().get(3)));
        }
        NDArray x = classifier.forward(ps, smooth.forward(ps, new NDList(p), training), training).head();
        return new NDList(Layers.resize(x, in.get(2), in.get(3), true));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        backbone.initialize(manager, dataType, in);
        Shape[] c = backbone.getOutputShapes(new Shape[] {in});
        for (int i = 0; i < 4; i++) {
            laterals.get(i).initialize(manager, dataType, c[i]);
        }
        Shape p2 = new Shape(in.get(0), pyramidChannels, c[0].get(2), c[0].get(3));
        smooth.initialize(manager, dataType, p2);
        classifier.initialize(manager, dataType, p2);
    }

    @Override
    protected Block classifier() {
        return classifier;
    }
}
