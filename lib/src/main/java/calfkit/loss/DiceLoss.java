package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * Soft Dice loss (Milletari et al., V-Net):
 * <pre>
 *   Dice = (2·Σ y·p + ε_nr) / (Σ y + Σ p + ε_dr) = (2·TP + ε_nr) / (2·TP + FP + FN + ε_dr)
 *   L_Dice = 1 − Dice
 * </pre>
 * The kit's default: ε_nr = ε_dr = 1, whole batch. {@link #authors()}: the CALF authors' {@code DiceLoss}
 * ({@code scripts/loss_functions.py}): ε_nr = 0, ε_dr = 1e-5, per image, mean over images. Reductions and
 * empty-mask behaviour: {@link RegionLoss}.
 */
public final class DiceLoss extends RegionLoss {

    public DiceLoss() {
        this(1f, false);
    }

    /** Dice with the same smoothing term in numerator and denominator. */
    public DiceLoss(float smooth, boolean perImage) {
        this(smooth, smooth, perImage);
    }

    public DiceLoss(float smoothNr, float smoothDr, boolean perImage) {
        super("Dice", smoothNr, smoothDr, perImage);
    }

    /** The authors' Dice loss: 1e-5 in the denominator only, per image. */
    public static DiceLoss authors() {
        return new DiceLoss(0f, 1e-5f, true);
    }

    @Override
    protected NDArray score(NDArray tp, NDArray fp, NDArray fn) {
        NDArray twoTp = times(tp, 2f);
        return twoTp.add(smoothNr()).div(twoTp.add(fp).add(fn).add(smoothDr()));
    }
}
