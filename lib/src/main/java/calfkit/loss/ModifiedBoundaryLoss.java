package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * Modified boundary loss (Wu; eq. (2)–(3) of the report), a ratio of distance-weighted true positives to
 * distance-weighted errors:
 * <pre>
 *   L = − Σ φ_t·p / ( Σ φ_bg·p + Σ (φ_t − φ_t·p) + ε )
 * </pre>
 * φ_t is the distance to the object's contour inside the target (0 elsewhere), φ_bg the distance in the
 * background (0 inside): from the signed map φ of {@link DistanceMaps}, φ_t = (1 − φ)·y and φ_bg = φ·(1 − y),
 * so both are ≥ 1 on their side. Sums over the whole batch; ε = 1 by default.
 *
 * <p>Range: L ≤ 0. A perfect prediction makes the denominator ε and L = −Σφ_t/ε, which tends to −∞ as ε → 0;
 * an all-empty target gives 0 whatever the prediction (the loss does not see false positives there). The
 * report notes its known failure: targets made of very small or many separate objects (its Scoliosis
 * example, 17 vertebrae), where most pixels are close to a contour and the loss becomes insensitive.
 */
public final class ModifiedBoundaryLoss extends DistanceLoss {

    private final float epsilon;

    public ModifiedBoundaryLoss() {
        this(1f);
    }

    public ModifiedBoundaryLoss(float epsilon) {
        super("ModifiedBoundary");
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("ModifiedBoundary: epsilon must be > 0, got " + epsilon);
        }
        this.epsilon = epsilon;
    }

    @Override
    protected NDArray fromProbabilities(NDArray p, NDArray y, NDArray phi) {
        NDArray phiT = phi.neg().add(1f).mul(y);
        NDArray phiBg = phi.mul(y.neg().add(1f));
        NDArray tp = phiT.mul(p).sum();
        NDArray fp = phiBg.mul(p).sum();
        NDArray fn = phiT.sub(phiT.mul(p)).sum();
        return tp.div(fp.add(fn).add(epsilon)).neg();
    }
}
