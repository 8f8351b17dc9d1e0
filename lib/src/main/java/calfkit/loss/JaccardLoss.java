package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * Soft IoU (Jaccard) loss (Rahman and Wang):
 * <pre>
 *   IoU = (Σ y·p + smooth) / (Σ y + Σ p − Σ y·p + smooth) = (TP + smooth) / (TP + FP + FN + smooth)
 *   L_IoU = 1 − IoU
 * </pre>
 * Defaults: smooth = 1, whole batch. Reductions and empty-mask behaviour: {@link RegionLoss}.
 */
public final class JaccardLoss extends RegionLoss {

    public JaccardLoss() {
        this(1f, false);
    }

    public JaccardLoss(float smooth, boolean perImage) {
        super("IoU", smooth, perImage);
    }

    @Override
    protected NDArray score(NDArray tp, NDArray fp, NDArray fn) {
        return tp.add(smooth()).div(tp.add(fp).add(fn).add(smooth()));
    }
}
