package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * CALF's Log10 transformation (Table 2, chosen for S ≥ 1, and for 0 &lt; S ≤ 0.5 with K &lt; 0):
 * <pre>
 *   L_Log10 = −E[ y·log10(p) + (1 − y)·log10(1 − p) ]   = BCE / ln 10
 * </pre>
 * Per pixel in [0, −log10(EPS)] = [0, 7] with the clamp.
 */
public final class Log10Loss extends PixelwiseLoss {

    public Log10Loss() {
        super("Log10");
    }

    @Override
    protected NDArray perPixel(NDArray p, NDArray y) {
        return y.mul(p.log10()).add(y.neg().add(1f).mul(p.neg().add(1f).log10())).neg();
    }
}
