package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * Tversky loss (Salehi et al.): α weighs false positives, β false negatives.
 * <pre>
 *   TI = (TP + smooth) / (TP + α·FP + β·FN + smooth)      L_Tversky = 1 − TI
 * </pre>
 * α = β = 0.5 is the Dice loss. Defaults: α = 0.3, β = 0.7 (Salehi et al.'s choice for small lesions,
 * penalising missed foreground more), smooth = 1, whole batch. Reductions and empty masks: {@link RegionLoss}.
 */
public final class TverskyLoss extends RegionLoss {

    private final float alpha;
    private final float beta;

    public TverskyLoss() {
        this(0.3f, 0.7f, 1f, false);
    }

    public TverskyLoss(float alpha, float beta, float smooth, boolean perImage) {
        super("Tversky", smooth, perImage);
        if (!(alpha >= 0) || !(beta >= 0) || alpha + beta == 0) {
            throw new IllegalArgumentException("Tversky: alpha and beta must be ≥ 0 and not both 0, got alpha="
                    + alpha + ", beta=" + beta);
        }
        this.alpha = alpha;
        this.beta = beta;
    }

    @Override
    protected NDArray score(NDArray tp, NDArray fp, NDArray fn) {
        return tp.add(smooth()).div(tp.add(fp.mul(alpha)).add(fn.mul(beta)).add(smooth()));
    }
}
