package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * Soft Dice loss (Milletari et al., V-Net):
 * <pre>
 *   Dice = (2·Σ y·p + smooth) / (Σ y + Σ p + smooth) = (2·TP + smooth) / (2·TP + FP + FN + smooth)
 *   L_Dice = 1 − Dice
 * </pre>
 * Defaults: smooth = 1, whole batch. Reductions and empty-mask behaviour: {@link RegionLoss}.
 */
public final class DiceLoss extends RegionLoss {

    public DiceLoss() {
        this(1f, false);
    }

    public DiceLoss(float smooth, boolean perImage) {
        super("Dice", smooth, perImage);
    }

    @Override
    protected NDArray score(NDArray tp, NDArray fp, NDArray fn) {
        NDArray twoTp = tp.mul(2f);
        return twoTp.add(smooth()).div(twoTp.add(fp).add(fn).add(smooth()));
    }
}
