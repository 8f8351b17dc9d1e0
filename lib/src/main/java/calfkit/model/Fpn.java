package calfkit.model;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * FPN with the panoptic FPN semantic-segmentation head (Kirillov et al., 2019) on a ResNet bottleneck
 * backbone ([2, 2, 2, 2] blocks, as the authors' code): lateral 1×1 convolutions bring C2..C5 to
 * {@code pyramidChannels}; the top-down path adds each upsampled coarser level (P5..P2). Each P_i passes
 * through as many (3×3 conv, BN, ReLU, ×2 upsampling) stages as it takes to reach stride 4
 * ({@code segmentationChannels} wide); the four maps are added, dropped out ({@code dropoutRate}), classified by a 1×1
 * convolution and upsampled ×4 (bilinear) to the input size. Without the stem's max pooling
 * ({@code stemPool} false, the quick size) every level has twice the resolution and the output is upsampled ×2.
 */
public final class Fpn extends SegmentationBlock {

    private final ResNetBackbone backbone;
    private final List<Block> laterals = new ArrayList<>();
    private final List<List<Block>> branches = new ArrayList<>();
    private final Block dropout;
    private final Block classifier;
    private final int pyramidChannels;
    private final int segmentationChannels;

    /**
     * @param dropoutRate the Dropout before the classifier (segmentation_models_pytorch's FPN: 0.2); 0: none
     */
    public Fpn(int[] blocks, int width, int pyramidChannels, int segmentationChannels, boolean stemPool, float dropoutRate) {
        super();
        this.pyramidChannels = pyramidChannels;
        this.segmentationChannels = segmentationChannels;
        backbone = addChildBlock("backbone", new ResNetBackbone(blocks, width, 32, stemPool));
        for (int i = 0; i < 4; i++) {
            laterals.add(addChildBlock("lateral" + (i + 2), Layers.conv1x1(pyramidChannels)));
        }
        for (int i = 0; i < 4; i++) {
            List<Block> stages = new ArrayList<>();
            int n = Math.max(1, i);  // P2: one conv, no upsampling; P3: one (×2); P4: two; P5: three
            for (int k = 0; k < n; k++) {
                stages.add(addChildBlock("seg" + (i + 2) + "_" + k, Layers.convBnRelu(segmentationChannels, 3, 1, 1)));
            }
            branches.add(stages);
        }
        // Rate 0: an identity in Dropout's place, so that the parameters keep their names (and checkpoints load)
        // and a run draws no Dropout mask (RunRandom: its forward passes take no lock).
        dropout = addChildBlock("dropout", dropoutRate > 0 ? Dropout.builder().optRate(dropoutRate).build()
                : Blocks.identityBlock());
        classifier = addChildBlock("classifier", Layers.conv1x1(1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Shape in = inputs.head().getShape();
        NDList c = backbone.forward(ps, inputs, training);
        NDArray[] p = new NDArray[4];
        p[3] = laterals.get(3).forward(ps, new NDList(c.get(3)), training).head();
        for (int i = 2; i >= 0; i--) {
            NDArray lateral = laterals.get(i).forward(ps, new NDList(c.get(i)), training).head();
            p[i] = lateral.add(Layers.resize(p[i + 1], lateral.getShape().get(2), lateral.getShape().get(3)));
        }
        long h = c.get(0).getShape().get(2);
        long w = c.get(0).getShape().get(3);
        NDArray sum = null;
        for (int i = 0; i < 4; i++) {
            NDArray x = p[i];
            List<Block> stages = branches.get(i);
            for (int k = 0; k < stages.size(); k++) {
                x = stages.get(k).forward(ps, new NDList(x), training).head();
                if (i > 0) {
                    long scale = 1L << (i - k - 1);
                    x = Layers.resize(x, h / scale, w / scale);
                }
            }
            sum = sum == null ? x : sum.add(x);
        }
        NDArray x = dropout.forward(ps, new NDList(sum), training).head();
        x = classifier.forward(ps, new NDList(x), training).head();
        return new NDList(Layers.resize(x, in.get(2), in.get(3)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        backbone.initialize(manager, dataType, in);
        Shape[] c = backbone.getOutputShapes(new Shape[] {in});
        long n = in.get(0);
        for (int i = 0; i < 4; i++) {
            laterals.get(i).initialize(manager, dataType, c[i]);
            Shape x = new Shape(n, pyramidChannels, c[i].get(2), c[i].get(3));
            for (Block stage : branches.get(i)) {
                stage.initialize(manager, dataType, x);
                x = new Shape(n, segmentationChannels, x.get(2), x.get(3));
            }
        }
        Shape x = new Shape(n, segmentationChannels, c[0].get(2), c[0].get(3));
        dropout.initialize(manager, dataType, x);
        classifier.initialize(manager, dataType, x);
    }
    @Override
    protected Block classifier() {
        return classifier;
    }

}
