package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * BCE from logits divided by ln 10: CALF's Log10 transformation without its probability clamp.
 * <pre>
 *   L = BCE(x, y) / ln 10 = E[ max(x, 0) − x·y + ln(1 + e^(−|x|)) ] / ln 10
 * </pre>
 * Mean over all pixels of the batch, from logits, exact for any finite logit ({@link BceLoss} divided by a
 * constant); an all-empty target gives mean softplus(x) / ln 10. It exists for the identity control (notebook 09):
 * Adam's update m / (√v + ε) is the same for L and for c·L but for ε, which a factor c turns into ε / c, so this loss
 * is BCE trained with Adam's ε multiplied by ln 10 (2.3e-8 instead of 1e-8). Set beside {@link BceLoss} (neither),
 * {@link NaturalLogLoss} (the clamp alone) and {@link Log10Loss} (both), it separates the two ways in which CALF's
 * Log10 and Natural log branches differ from BCE.
 */
public final class ScaledBceLoss extends SegmentationLoss {

    /** ln 10, the factor between the natural and the decimal logarithm. */
    static final float LN_10 = (float) Math.log(10);

    private static final BceLoss BCE = new BceLoss();

    public ScaledBceLoss() {
        super("BCE / ln 10");
    }

    @Override
    public NDArray fromLogits(NDArray logits, NDArray target) {
        return dividedBy(BCE.fromLogits(logits, target), LN_10);
    }

    /** BCE / ln 10 of given probabilities, clamped to [EPS, 1 − EPS] so that p = 0 or 1 stays finite. */
    @Override
    public NDArray fromProbabilities(NDArray p, NDArray target) {
        return dividedBy(BCE.fromProbabilities(p, target), LN_10);
    }
}
