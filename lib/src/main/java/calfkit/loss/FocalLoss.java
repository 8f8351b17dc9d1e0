package calfkit.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Focal loss (Lin et al.), from logits x:
 * <pre>
 *   p_t = σ(x) if y = 1, else 1 − σ(x)        α_t = α if y = 1, else 1 − α
 *   FL  = −E[ α_t · (1 − p_t)^γ · ln(p_t) ]
 * </pre>
 * ln(p_t) is computed as a log-sigmoid (stable for any logit); (1 − p_t) is clamped to ≥ EPS so that the
 * gradient of (1 − p_t)^γ stays finite for γ &lt; 1 too. Mean over all pixels of the batch.
 * Defaults α = 0.25, γ = 2 (Lin et al.); {@code alpha = null} disables the weighting (α_t = 1), as in
 * segmentation_models_pytorch. {@link #authors()}: the CALF authors' {@code FocalLoss}
 * ({@code scripts/loss_functions.py}), the same α and γ on probabilities clamped to [1e-6, 1 − 1e-6] (ln p_t and
 * the weight both from the clamped p), so a pixel beyond |logit| ≈ 13.8 passes no gradient.
 */
public class FocalLoss extends SegmentationLoss {

    private final Float alpha;
    private final float gamma;
    private final Float clamp;

    public FocalLoss() {
        this(0.25f, 2f);
    }

    public FocalLoss(Float alpha, float gamma) {
        this("Focal", alpha, gamma);
    }

    protected FocalLoss(String name, Float alpha, float gamma) {
        this(name, alpha, gamma, null);
    }

    private FocalLoss(String name, Float alpha, float gamma, Float clamp) {
        super(name);
        if (alpha != null && !(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException(name + ": alpha must be in [0, 1] or null, got " + alpha);
        }
        if (!(gamma >= 0)) {
            throw new IllegalArgumentException(name + ": gamma must be ≥ 0, got " + gamma);
        }
        this.alpha = alpha;
        this.gamma = gamma;
        this.clamp = clamp;
    }

    /** The authors' focal loss: α = 0.25, γ = 2 on probabilities clamped to [1e-6, 1 − 1e-6]. */
    public static FocalLoss authors() {
        return new FocalLoss("Focal", 0.25f, 2f, 1e-6f);
    }

    @Override
    public NDArray fromLogits(NDArray logits, NDArray target) {
        if (clamp != null) {
            return fromProbabilities(Activation.sigmoid(logits), target);
        }
        return focal(logPt(logits, target), target, target.neg().add(1f));
    }

    @Override
    public NDArray fromProbabilities(NDArray p, NDArray target) {
        NDArray q = clamp == null ? p : p.clip(clamp, 1f - clamp);
        return focal(logPtOfProbabilities(q, target), target, target.neg().add(1f));
    }

    private NDArray focal(NDArray logPt, NDArray y, NDArray notY) {
        NDArray modulating = power(logPt.exp().neg().add(1f).clip(EPS, 1f), gamma);
        NDArray loss = modulating.mul(logPt).neg();
        if (alpha != null) {
            loss = loss.mul(y.mul(alpha).add(notY.mul(1f - alpha)));
        }
        return loss.mean();
    }
}
