package calfkit.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import calfkit.image.DistanceMaps;

/**
 * A loss that needs the target's signed distance map (the boundary losses). It takes the map as the second
 * label when the data pipeline provides it ({@code SliceDataset.Builder.optDistanceMaps(true)}, computed once
 * per mask and cached) and otherwise computes it from the mask on the CPU.
 */
public abstract class DistanceLoss extends SegmentationLoss {

    protected DistanceLoss(String name) {
        super(name);
    }

    @Override
    public boolean needsDistanceMaps() {
        return true;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        Shape shape = logits.getShape();
        NDArray target = labels.head().toType(logits.getDataType(), false).reshape(shape);
        NDArray phi = labels.size() > 1 ? labels.get(1).toType(logits.getDataType(), false).reshape(shape)
                : distanceMaps(target);
        return withDistances(logits, target, phi);
    }

    @Override
    public NDArray fromLogits(NDArray logits, NDArray target) {
        return withDistances(logits, target, distanceMaps(target));
    }

    @Override
    public NDArray fromProbabilities(NDArray p, NDArray target) {
        return fromProbabilities(p, target, distanceMaps(target));
    }

    /** The loss of logits, given the target's signed distance maps φ. */
    public NDArray withDistances(NDArray logits, NDArray target, NDArray phi) {
        return fromProbabilities(Activation.sigmoid(logits), target, phi);
    }

    /** The loss of probabilities, given the target's signed distance maps φ. */
    protected abstract NDArray fromProbabilities(NDArray p, NDArray target, NDArray phi);

    /** Signed distance maps of a batch of targets (the last two axes are H and W). */
    static NDArray distanceMaps(NDArray target) {
        Shape s = target.getShape();
        int h = (int) s.get(s.dimension() - 2);
        int w = (int) s.get(s.dimension() - 1);
        float[] maps = DistanceMaps.signedBatch(target.toFloatArray(), w, h);
        return target.getManager().create(maps, s);
    }
}
