package calfkit.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * Base of the kit's binary segmentation losses: a DJL {@link Loss} that any DJL {@code Trainer} can use.
 *
 * <p>Conventions shared by every loss in this package:
 * <ul>
 *   <li>Input: the model's <b>logits</b> (any shape, usually (N, 1, H, W)) as the single prediction, and a
 *       target of 0/1 values with the same number of elements as the single label (it is reshaped to the
 *       logits' shape, so (N, H, W) masks work too).</li>
 *   <li>Probabilities are {@code p = clamp(sigmoid(logits), 1e-7, 1 − 1e-7)}, as in the authors' CALF transforms
 *       ({@link #probabilities}); the clamp keeps logs finite and passes no gradient outside it
 *       (|logit| &gt; 16.1). BCE and Focal work from the logits directly (log-sigmoid) instead.</li>
 *   <li>Reduction: a scalar. Pixel-wise losses take the mean over every pixel of every image of the batch
 *       (the paper's E[·]); region losses (Dice, IoU, Tversky) state theirs.</li>
 * </ul>
 * {@link #fromProbabilities} gives the same loss for probabilities the caller already has (used by tests
 * with exact 0/1 values and by notebooks that plot a loss against p).
 */
public abstract class SegmentationLoss extends Loss {

    /** The probability clamp of the authors' CALF transforms: p ∈ [EPS, 1 − EPS]. */
    public static final float EPS = 1e-7f;

    protected SegmentationLoss(String name) {
        super(name);
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        NDArray target = labels.head();
        if (target.size() != logits.size()) {
            throw new IllegalArgumentException(getName() + ": the target has shape " + target.getShape()
                    + " but the logits have shape " + logits.getShape() + "; expected one 0/1 value per logit");
        }
        Shape shape = logits.getShape();
        return fromLogits(logits, target.toType(logits.getDataType(), false).reshape(shape));
    }

    /** The loss of logits against a 0/1 target of the same shape. */
    public NDArray fromLogits(NDArray logits, NDArray target) {
        return fromProbabilities(probabilities(logits), target);
    }

    /** The loss of probabilities p ∈ [0, 1] against a 0/1 target of the same shape. */
    public abstract NDArray fromProbabilities(NDArray p, NDArray target);

    /**
     * The probability the kit's recipe starts this loss's classifier at ({@code Recipe.priorBias()}: the head's bias
     * at its log-odds), given the training sample's foreground pixel fraction π: π itself, the prior, for losses
     * with a per-pixel likelihood term (BCE, focal, the CALF transforms, BCE-Dice, the boundary losses), for which
     * that start is the best constant prediction.
     */
    public double startingProbability(double foregroundFraction) {
        return foregroundFraction;
    }

    /** True for losses that need the target's signed distance map as a second label (the boundary losses). */
    public boolean needsDistanceMaps() {
        return false;
    }

    /** Called by the trainer at the start of each epoch (0-based); losses with a schedule override it. */
    public void setEpoch(int epoch) {
        // no schedule
    }

    /*
     * Scalar operands that survive until the backward pass. DJL's NDArray.mul(Number), div(Number), pow(Number) and
     * maximum(Number) make the scalar a tensor over a Java direct buffer (PyTorch's from_blob does not copy) and
     * close it at once; PyTorch's autograd keeps that tensor for the backward pass, and a garbage collection between
     * forward and backward frees the buffer: the gradient then reads freed memory (measured: d(3x)/dx came back as
     * 1e30 or 1e-45 in 4 of 5 trials with a collection and a scribble in between; LossGradientGcTest). The scalars
     * below belong to the operand's manager instead, which a training step closes after its update. Every loss uses
     * them on whatever carries a gradient (a target's arithmetic carries none and may use the plain calls).
     */

    /** x · v, the scalar kept until x's manager closes. */
    protected static NDArray times(NDArray x, float v) {
        return x.mul(x.getManager().create(v));
    }

    /** x / v, the scalar kept until x's manager closes. */
    protected static NDArray dividedBy(NDArray x, float v) {
        return x.div(x.getManager().create(v));
    }

    /** x ^ v, the exponent kept until x's manager closes. */
    protected static NDArray power(NDArray x, float v) {
        return x.pow(x.getManager().create(v));
    }

    /** max(x, v) elementwise, the scalar kept until x's manager closes. */
    protected static NDArray atLeast(NDArray x, float v) {
        return x.maximum(x.getManager().create(v));
    }

    /** {@code clamp(sigmoid(logits), EPS, 1 − EPS)}. */
    public static NDArray probabilities(NDArray logits) {
        return Activation.sigmoid(logits).clip(EPS, 1f - EPS);
    }

    /**
     * ln p_t from logits x, where p_t = σ(x) on tumour pixels and 1 − σ(x) elsewhere: y·ln σ(x) + (1 − y)·ln(1 − σ(x)),
     * with ln σ(x) = −softplus(−x) and ln(1 − σ(x)) = −softplus(x) (DJL's {@link Activation#softPlus}, finite
     * for any x). The focal losses' shared term.
     */
    static NDArray logPt(NDArray logits, NDArray y) {
        NDArray logP = Activation.softPlus(logits.neg()).neg();
        NDArray log1mP = Activation.softPlus(logits).neg();
        return y.mul(logP).add(y.neg().add(1f).mul(log1mP));
    }

    /** ln p_t from probabilities p, clamped to [EPS, 1 − EPS] first. */
    static NDArray logPtOfProbabilities(NDArray p, NDArray y) {
        NDArray q = p.clip(EPS, 1f - EPS);
        return y.mul(q.log()).add(y.neg().add(1f).mul(q.neg().add(1f).log()));
    }
}
