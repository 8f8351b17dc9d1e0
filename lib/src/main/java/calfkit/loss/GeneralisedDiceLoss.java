package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * Generalised Dice loss (Sudre et al., 2017) over the two classes, foreground and background, each weighted
 * by the inverse square of its volume:
 * <pre>
 *   w_c = 1 / max(Σ y_c, 1)²       GDL = 1 − 2·Σ_c w_c Σ y_c p_c / Σ_c w_c Σ (y_c + p_c)
 * </pre>
 * with y_fg = y, p_fg = p, y_bg = 1 − y, p_bg = 1 − p; sums over the whole batch. The max(·, 1) keeps the
 * weight of an absent class finite (an all-empty target weights its foreground term 1). Probabilities are
 * clamped sigmoid(logits).
 */
public final class GeneralisedDiceLoss extends SegmentationLoss {

    public GeneralisedDiceLoss() {
        super("GeneralisedDice");
    }

    @Override
    public NDArray fromProbabilities(NDArray p, NDArray y) {
        NDArray q = p.neg().add(1f);
        NDArray z = y.neg().add(1f);
        NDArray wFg = y.sum().maximum(1f).square().pow(-1f);
        NDArray wBg = z.sum().maximum(1f).square().pow(-1f);
        NDArray num = wFg.mul(y.mul(p).sum()).add(wBg.mul(z.mul(q).sum()));
        NDArray den = wFg.mul(y.add(p).sum()).add(wBg.mul(z.add(q).sum()));
        return times(num, 2f).div(den).neg().add(1f);
    }
}
