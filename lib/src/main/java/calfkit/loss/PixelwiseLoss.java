package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * A loss that is the mean over all pixels (of all images of the batch) of a per-pixel term: the paper's
 * {@code −E[y·f(p) + (1 − y)·g(p)]}. Subclasses give the per-pixel term; probabilities are clamped to
 * [EPS, 1 − EPS] here too, so {@link #fromProbabilities} is finite for p exactly 0 or 1.
 */
public abstract class PixelwiseLoss extends SegmentationLoss {

    protected PixelwiseLoss(String name) {
        super(name);
    }

    @Override
    public NDArray fromProbabilities(NDArray p, NDArray target) {
        return perPixel(p.clip(EPS, 1f - EPS), target).mean();
    }

    /** The per-pixel loss for clamped probabilities p and a 0/1 target y. */
    protected abstract NDArray perPixel(NDArray p, NDArray y);
}
