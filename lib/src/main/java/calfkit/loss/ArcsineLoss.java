package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * CALF's Arcsine transformation (Table 2, chosen for −0.5 &lt; S &lt; 0):
 * <pre>
 *   L_Arcsine = −E[ y·arcsin(√p) + (1 − y)·arcsin(√(1 − p)) ]
 * </pre>
 * Bounded: per pixel in [−π/2, 0], −π/2 for a perfect prediction. Its slope in p grows as 1/(2√(p(1 − p)))
 * near 0 and 1, which the clamp keeps finite.
 */
public final class ArcsineLoss extends PixelwiseLoss {

    public ArcsineLoss() {
        super("Arcsine");
    }

    @Override
    protected NDArray perPixel(NDArray p, NDArray y) {
        NDArray positive = p.sqrt().asin();
        NDArray negative = p.neg().add(1f).sqrt().asin();
        return y.mul(positive).add(y.neg().add(1f).mul(negative)).neg();
    }
}
