package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * Soft IoU (Jaccard) loss (Rahman and Wang):
 * <pre>
 *   IoU = (Σ y·p + ε_nr) / (Σ y + Σ p − Σ y·p + ε_dr) = (TP + ε_nr) / (TP + FP + FN + ε_dr)
 *   L_IoU = 1 − IoU
 * </pre>
 * The kit's default: ε_nr = ε_dr = 1, whole batch. {@link #authors()}: the CALF authors' {@code IoULoss}
 * ({@code scripts/loss_functions.py}): ε_nr = 0, ε_dr = 1e-5, per image, mean over images. Reductions and
 * empty-mask behaviour: {@link RegionLoss}.
 */
public final class JaccardLoss extends RegionLoss {

    public JaccardLoss() {
        this(1f, false);
    }

    /** IoU with the same smoothing term in numerator and denominator. */
    public JaccardLoss(float smooth, boolean perImage) {
        this(smooth, smooth, perImage);
    }

    public JaccardLoss(float smoothNr, float smoothDr, boolean perImage) {
        super("IoU", smoothNr, smoothDr, perImage);
    }

    /** The authors' IoU loss: 1e-5 in the denominator only, per image. */
    public static JaccardLoss authors() {
        return new JaccardLoss(0f, 1e-5f, true);
    }

    @Override
    protected NDArray score(NDArray tp, NDArray fp, NDArray fn) {
        return tp.add(smoothNr()).div(tp.add(fp).add(fn).add(smoothDr()));
    }
}
