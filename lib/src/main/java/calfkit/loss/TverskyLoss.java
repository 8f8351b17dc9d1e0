package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * Tversky loss (Salehi et al.): α weighs false positives, β false negatives.
 * <pre>
 *   TI = (TP + ε_nr) / (TP + α·FP + β·FN + ε_dr)      L_Tversky = 1 − TI
 * </pre>
 * α = β = 0.5 is the Dice loss. The kit's default: α = 0.3, β = 0.7 (Salehi et al.'s choice for small lesions,
 * penalising missed foreground more), ε_nr = ε_dr = 1, whole batch. {@link #authors()}: the CALF authors'
 * {@code TverskyLoss} ({@code scripts/loss_functions.py}): α = 0.7 on false positives and β = 0.3 on false
 * negatives (the other way round: it penalises over-segmentation more), ε_nr = 0, ε_dr = 1e-5, per image, mean
 * over images. Reductions and empty masks: {@link RegionLoss}.
 */
public final class TverskyLoss extends RegionLoss {

    private final float alpha;
    private final float beta;

    public TverskyLoss() {
        this(0.3f, 0.7f, 1f, false);
    }

    /** Tversky with the same smoothing term in numerator and denominator. */
    public TverskyLoss(float alpha, float beta, float smooth, boolean perImage) {
        this(alpha, beta, smooth, smooth, perImage);
    }

    public TverskyLoss(float alpha, float beta, float smoothNr, float smoothDr, boolean perImage) {
        super("Tversky", smoothNr, smoothDr, perImage);
        if (!(alpha >= 0) || !(beta >= 0) || alpha + beta == 0) {
            throw new IllegalArgumentException("Tversky: alpha and beta must be ≥ 0 and not both 0, got alpha="
                    + alpha + ", beta=" + beta);
        }
        this.alpha = alpha;
        this.beta = beta;
    }

    /** The authors' Tversky loss: α = 0.7 (false positives), β = 0.3 (false negatives), 1e-5 in the denominator only, per image. */
    public static TverskyLoss authors() {
        return new TverskyLoss(0.7f, 0.3f, 0f, 1e-5f, true);
    }

    @Override
    protected NDArray score(NDArray tp, NDArray fp, NDArray fn) {
        return tp.add(smoothNr()).div(tp.add(times(fp, alpha)).add(times(fn, beta)).add(smoothDr()));
    }
}
