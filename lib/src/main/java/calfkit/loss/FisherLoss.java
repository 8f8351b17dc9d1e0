package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * CALF's Fisher transformation (Table 2, chosen for S ≤ −1):
 * <pre>
 *   L_Fisher = −E[ y·½·ln((1 + p)/(1 − p)) + (1 − y)·½·ln((1 + (1 − p))/(1 − (1 − p))) ]
 *            = −E[ y·atanh(p) + (1 − y)·½·ln((2 − p)/p) ]
 * </pre>
 * Unbounded below as printed: atanh(p) → ∞ as p → 1, so a confident right answer drives the loss to −∞.
 * Only the clamp keeps it finite: its minimum is {@link #MIN_VALUE} = −½·ln((2 − EPS)/EPS) ≈ −8.41 per pixel.
 * All-empty or all-full targets are ordinary inputs (the mean over pixels is always defined).
 */
public final class FisherLoss extends PixelwiseLoss {

    /** The smallest value the clamped loss can take: −½·ln((2 − 1e-7)/1e-7) ≈ −8.4056. */
    public static final double MIN_VALUE = -0.5 * Math.log((2 - EPS) / (double) EPS);

    public FisherLoss() {
        super("Fisher");
    }

    @Override
    protected NDArray perPixel(NDArray p, NDArray y) {
        NDArray positive = times(p.add(1f).div(p.neg().add(1f)).log(), 0.5f);
        NDArray negative = times(p.neg().add(2f).div(p).log(), 0.5f);
        return y.mul(positive).add(y.neg().add(1f).mul(negative)).neg();
    }
}
