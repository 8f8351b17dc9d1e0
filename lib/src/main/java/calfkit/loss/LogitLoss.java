package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * CALF's Logit transformation (Table 2, chosen for −1 &lt; S ≤ −0.5):
 * <pre>
 *   L_Logit = −E[ y·ln(p/(1 − p)) + (1 − y)·ln((1 − p)/p) ] = −E[ (2y − 1)·logit(p) ]
 * </pre>
 * Unbounded below as printed (logit(p) → ±∞): it rewards confidence without limit. Only the clamp keeps it
 * finite: per pixel it lies in [{@link #MIN_VALUE}, −MIN_VALUE], ±ln((1 − EPS)/EPS) ≈ ±16.1, and its
 * gradient with respect to p never vanishes inside the clamp.
 */
public final class LogitLoss extends PixelwiseLoss {

    /** The smallest value the clamped loss can take: −ln((1 − 1e-7)/1e-7) ≈ −16.118. */
    public static final double MIN_VALUE = -Math.log((1 - EPS) / (double) EPS);

    public LogitLoss() {
        super("Logit");
    }

    @Override
    protected NDArray perPixel(NDArray p, NDArray y) {
        NDArray logit = p.div(p.neg().add(1f)).log();
        return y.mul(2f).sub(1f).mul(logit).neg();
    }
}
