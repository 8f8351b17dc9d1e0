package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * A loss on soft overlap counts: with p the probabilities and y the target,
 * <pre>
 *   TP = Σ p·y     FP = Σ p·(1 − y)     FN = Σ (1 − p)·y
 * </pre>
 * summed over every pixel of the batch ("whole batch", segmentation_models_pytorch's default and the
 * authors' code) or over each image separately and then averaged ("per image", MONAI's {@code batch=False}).
 * The loss is {@code 1 − score(TP, FP, FN)} where the score carries a {@code smooth} term in its numerator
 * and denominator (MONAI's {@code smooth_nr}/{@code smooth_dr}, the paper's ε):
 * <ul>
 *   <li>empty target and empty prediction: score = smooth/smooth = 1, loss 0 (nothing to find, nothing found);</li>
 *   <li>empty target and non-empty prediction: score = smooth/(FP + smooth) → loss close to 1;</li>
 *   <li>smooth = 0 gives the plain ratio and is undefined (NaN) when both are empty.</li>
 * </ul>
 */
public abstract class RegionLoss extends SegmentationLoss {

    private final float smooth;
    private final boolean perImage;

    protected RegionLoss(String name, float smooth, boolean perImage) {
        super(name);
        if (!(smooth >= 0)) {
            throw new IllegalArgumentException(name + ": smooth must be ≥ 0, got " + smooth);
        }
        this.smooth = smooth;
        this.perImage = perImage;
    }

    /**
     * False: a pure overlap loss starts from a zero head bias (p = 0.5). At the prior bias (p ≈ 0.003 at ratio
     * 0.1) the overlap scores' gradients through the sigmoid are about p and the logits they learn stay near the
     * threshold: measured on the quick FPN at ratio 0.1, seed 12345, Dice, IoU and Tversky all ended with an
     * empty validation prediction at every epoch under the prior (test DSC 0 pooled), and reached validation DSC
     * 0.85 (Dice) and 0.82 (Tversky) without it.
     */
    @Override
    public boolean startsFromPriorBias() {
        return false;
    }

    public float smooth() {
        return smooth;
    }

    public boolean perImage() {
        return perImage;
    }

    @Override
    public NDArray fromProbabilities(NDArray p, NDArray y) {
        NDArray tp = sum(p.mul(y));
        NDArray fp = sum(p.mul(y.neg().add(1f)));
        NDArray fn = sum(p.neg().add(1f).mul(y));
        return score(tp, fp, fn).neg().add(1f).mean();
    }

    /** The overlap score from the soft counts, smooth included; 1 is a perfect match. */
    protected abstract NDArray score(NDArray tp, NDArray fp, NDArray fn);

    private NDArray sum(NDArray x) {
        if (!perImage || x.getShape().dimension() < 2) {
            return x.sum();
        }
        int[] axes = new int[x.getShape().dimension() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return x.sum(axes);
    }
}
