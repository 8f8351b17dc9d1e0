package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * CALF's natural-log transformation (Table 2, chosen for 0.5 ≤ S &lt; 1):
 * <pre>
 *   L_ln = −E[ y·ln(p) + (1 − y)·ln(1 − p) ]
 * </pre>
 * Binary cross-entropy on clamped probabilities, as the authors' code computes it; per pixel in
 * [0, −ln(EPS)] ≈ [0, 16.1]. {@link BceLoss} is the same loss computed stably from logits.
 */
public final class NaturalLogLoss extends PixelwiseLoss {

    public NaturalLogLoss() {
        super("NaturalLog");
    }

    @Override
    protected NDArray perPixel(NDArray p, NDArray y) {
        return y.mul(p.log()).add(y.neg().add(1f).mul(p.neg().add(1f).log())).neg();
    }
}
