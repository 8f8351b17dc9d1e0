package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * Boundary loss (Kervadec et al., 2019) with its regional companion:
 * <pre>
 *   L_B = mean(p · φ)                 (φ the signed distance map, {@link DistanceMaps})
 *   L   = (1 − α) · L_region + α · L_B
 * </pre>
 * with α moved from the regional loss to the boundary term over epochs by a schedule (the reference: α starts
 * at 0.01 and grows by 0.01 per epoch; capped here at {@code maxAlpha}). L_B alone is minimised by the trivial
 * all-background prediction, which is why it is used with a regional loss (generalised Dice or Dice).
 * Mean over all pixels of the batch; probabilities are sigmoid(logits), unclamped (no log is taken).
 * L_B of an all-empty or all-full target is 0 (φ = 0 there).
 */
public final class BoundaryLoss extends DistanceLoss {

    private final SegmentationLoss region;
    private final double start;
    private final double step;
    private final double maxAlpha;
    private double alpha;

    /** Generalised Dice with the reference schedule (0.01, +0.01 per epoch, up to 0.99). */
    public BoundaryLoss() {
        this(new GeneralisedDiceLoss(), 0.01, 0.01, 0.99);
    }

    public BoundaryLoss(SegmentationLoss region, double start, double step, double maxAlpha) {
        super("Boundary");
        if (!(start >= 0 && start <= 1) || !(step >= 0) || !(maxAlpha >= start && maxAlpha <= 1)) {
            throw new IllegalArgumentException("boundary schedule: need 0 ≤ start ≤ max ≤ 1 and step ≥ 0, got start "
                    + start + ", step " + step + ", max " + maxAlpha);
        }
        this.region = region;
        this.start = start;
        this.step = step;
        this.maxAlpha = maxAlpha;
        this.alpha = start;
    }

    /** α for an epoch (0-based): min(start + step · epoch, max). */
    public double alpha(int epoch) {
        return Math.min(maxAlpha, start + step * epoch);
    }

    /** The weight of the boundary term now. */
    public double alpha() {
        return alpha;
    }

    @Override
    public void setEpoch(int epoch) {
        alpha = alpha(epoch);
    }

    /** L_B alone: mean(p · φ). */
    public static NDArray boundaryTerm(NDArray p, NDArray phi) {
        return p.mul(phi).mean();
    }

    @Override
    public NDArray withDistances(NDArray logits, NDArray target, NDArray phi) {
        return weighted(region.fromLogits(logits, target), ai.djl.nn.Activation.sigmoid(logits), phi);
    }

    @Override
    protected NDArray fromProbabilities(NDArray p, NDArray target, NDArray phi) {
        return weighted(region.fromProbabilities(p, target), p, phi);
    }

    /** (1 − α) · L_region + α · L_B. */
    private NDArray weighted(NDArray regionLoss, NDArray p, NDArray phi) {
        return times(regionLoss, (float) (1 - alpha)).add(times(boundaryTerm(p, phi), (float) alpha));
    }
}
