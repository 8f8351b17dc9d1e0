package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * Binary cross-entropy, computed stably from logits x (PyTorch's {@code binary_cross_entropy_with_logits}):
 * <pre>
 *   BCE = E[ −y·ln σ(x) − (1 − y)·ln(1 − σ(x)) ] = E[ max(x, 0) − x·y + ln(1 + e^(−|x|)) ]
 * </pre>
 * Mean over all pixels of the batch. Exact for any finite logit (no clamp, so the gradient σ(x) − y never
 * vanishes); an all-empty target gives the mean of softplus(x).
 */
public final class BceLoss extends SegmentationLoss {

    public BceLoss() {
        super("BCE");
    }

    @Override
    public NDArray fromLogits(NDArray logits, NDArray target) {
        return atLeast(logits, 0f).sub(logits.mul(target)).add(logits.abs().neg().exp().add(1f).log()).mean();
    }

    /** BCE of given probabilities, clamped to [EPS, 1 − EPS] so that p = 0 or 1 stays finite. */
    @Override
    public NDArray fromProbabilities(NDArray p, NDArray target) {
        return CLAMPED.fromProbabilities(p, target);
    }

    private static final NaturalLogLoss CLAMPED = new NaturalLogLoss();
}
