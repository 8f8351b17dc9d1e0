package calfkit.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Adaptive Focal Loss (A-FL, §3.2 of its paper): a focal loss whose balancing and focusing parameters are
 * computed from each ground-truth mask:
 * <pre>
 *   α_va = P_bg / (P_fg + P_bg)          γ_va = P_fg / (P_fg + P_bg)
 *   γ_mSa = mean over all elements of ‖∇M‖   (finite differences of the mask M along each axis)
 *   γ_adaptive = γ_va + γ_mSa
 *   A-FL(p_t) = −α_t · (1 − p_t)^γ_adaptive · ln(p_t)
 * </pre>
 * α applies as in the focal loss: α_va to foreground pixels, 1 − α_va to background pixels. α_va is the
 * background fraction, so the rare foreground gets the large weight, as the paper intends ("assigning higher
 * weights to minority foreground class").
 *
 * <p>The paper computes the parameters per patient volume; this loss computes them per image of the batch
 * (2D slices); {@link Parameters#of} takes a 2D slice or a 3D volume. The gradient ∇M follows NumPy's
 * {@code gradient}: central differences inside, one-sided at the borders, unit spacing.
 *
 * <p>Switches for the paper's ablation (its Table 5): each of α_va, γ_va, γ_mSa can be off; α falls back to
 * 0.25 and, when both γ terms are off, γ to 2, so with all three off this is {@link FocalLoss} with α = 0.25,
 * γ = 2. An all-empty mask gives α_va = 1 (background pixels weigh 0) and γ = 0: such a slice teaches nothing
 * about false positives. Mean over all pixels of the batch; (1 − p_t) is clamped to ≥ EPS as in FocalLoss.
 */
public final class AdaptiveFocalLoss extends SegmentationLoss {

    /** A-FL's parameters of one mask. */
    public record Parameters(double alphaVa, double gammaVa, double gammaMsa) {

        /** Parameters of a 0/1 mask with the given dimensions (2 or 3, last axis fastest). */
        public static Parameters of(float[] mask, int... dims) {
            long fg = 0;
            for (float v : mask) {
                fg += v > 0.5f ? 1 : 0;
            }
            double n = mask.length;
            return new Parameters((n - fg) / n, fg / n, meanGradientMagnitude(mask, dims));
        }

        /** mean ‖∇M‖ with NumPy's gradient (central inside, one-sided at the borders). */
        static double meanGradientMagnitude(float[] m, int... dims) {
            int n = m.length;
            double[] sq = new double[n];
            int stride = 1;
            for (int axis = dims.length - 1; axis >= 0; axis--) {
                int size = dims[axis];
                for (int i = 0; i < n; i++) {
                    int pos = (i / stride) % size;
                    double g;
                    if (size == 1) {
                        g = 0;
                    } else if (pos == 0) {
                        g = m[i + stride] - m[i];
                    } else if (pos == size - 1) {
                        g = m[i] - m[i - stride];
                    } else {
                        g = (m[i + stride] - m[i - stride]) / 2.0;
                    }
                    sq[i] += g * g;
                }
                stride *= size;
            }
            double sum = 0;
            for (double v : sq) {
                sum += Math.sqrt(v);
            }
            return sum / n;
        }
    }

    private final boolean useAlphaVa;
    private final boolean useGammaVa;
    private final boolean useGammaMsa;

    /** A-FL with all three parameters (the paper's best row). */
    public AdaptiveFocalLoss() {
        this(true, true, true);
    }

    public AdaptiveFocalLoss(boolean useAlphaVa, boolean useGammaVa, boolean useGammaMsa) {
        super("A-FL");
        this.useAlphaVa = useAlphaVa;
        this.useGammaVa = useGammaVa;
        this.useGammaMsa = useGammaMsa;
    }

    /** The α and γ this loss uses for a mask's parameters. */
    public double[] alphaGamma(Parameters p) {
        double alpha = useAlphaVa ? p.alphaVa() : 0.25;
        double gamma = !useGammaVa && !useGammaMsa ? 2.0 : (useGammaVa ? p.gammaVa() : 0) + (useGammaMsa ? p.gammaMsa() : 0);
        return new double[] {alpha, gamma};
    }

    @Override
    public NDArray fromLogits(NDArray logits, NDArray target) {
        return afl(logPt(logits, target), target);
    }

    @Override
    public NDArray fromProbabilities(NDArray p, NDArray target) {
        return afl(logPtOfProbabilities(p, target), target);
    }

    private NDArray afl(NDArray logPt, NDArray y) {
        Shape s = y.getShape();
        int h = (int) s.get(s.dimension() - 2);
        int w = (int) s.get(s.dimension() - 1);
        int images = (int) (s.size() / ((long) h * w));
        float[] masks = y.toFloatArray();
        float[] alpha = new float[images];
        float[] gamma = new float[images];
        for (int b = 0; b < images; b++) {
            float[] one = new float[h * w];
            System.arraycopy(masks, b * h * w, one, 0, h * w);
            double[] ag = alphaGamma(Parameters.of(one, h, w));
            alpha[b] = (float) ag[0];
            gamma[b] = (float) ag[1];
        }
        Shape perImage = new Shape(images, 1);
        NDArray a = y.getManager().create(alpha, perImage);
        NDArray g = y.getManager().create(gamma, perImage);
        NDArray flatY = y.reshape(images, (long) h * w);
        NDArray flatLogPt = logPt.reshape(images, (long) h * w);
        NDArray modulating = flatLogPt.exp().neg().add(1f).clip(EPS, 1f).pow(g);
        NDArray weight = flatY.mul(a).add(flatY.neg().add(1f).mul(a.neg().add(1f)));
        return weight.mul(modulating).mul(flatLogPt).neg().mean();
    }
}
