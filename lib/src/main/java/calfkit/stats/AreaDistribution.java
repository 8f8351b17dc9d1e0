package calfkit.stats;

import java.util.Arrays;

import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

/**
 * The distribution of foreground areas over a set of masks, with the paper's Table 1 moments.
 *
 * <p>Area of a binary mask = its number of foreground pixels. (The authors' released code measured area with
 * OpenCV contour areas instead, which gives a single pixel area 0 and counts a hole twice, inside its object's
 * outer contour and as its own contour: {@link ContourArea}; the kit counts pixels.)
 *
 * <p>With A the areas that enter ({@link EmptyMasks}) and N their number, the population moments:
 * <pre>
 *   μ = (1/N) Σ A_i        σ = sqrt((1/N) Σ (A_i − μ)²)
 *   S = ((1/N) Σ (A_i − μ)³) / σ³          (skewness, SciPy's skew(bias=True))
 *   K = ((1/N) Σ (A_i − μ)⁴) / σ⁴ − 3      (excess kurtosis, SciPy's kurtosis(bias=True))
 * </pre>
 * These are not Commons Math's {@code Skewness}/{@code Kurtosis}, which are the bias-corrected G1/G2
 * (areas [0,0,0,100,400]: S = 1.2910 where G1 = 1.9245, K = −0.0833 where G2 = 3.6667). Commons Math gives
 * μ and the population σ; the third and fourth central moments are summed here.
 *
 * <p>S and K are NaN when they are undefined: fewer than 2 areas, or σ = 0 (all areas equal).
 *
 * @param n      number of areas that entered the moments
 * @param nEmpty number of empty masks in the set (entered or not, see {@code emptyMasks})
 * @param nMasks number of masks in the set
 */
public record AreaDistribution(int n, int nEmpty, int nMasks, double mean, double std, double skewness,
                               double kurtosis, EmptyMasks emptyMasks) {

    /** The distribution of the given mask areas (one per mask, in pixels). */
    public static AreaDistribution of(long[] areas, EmptyMasks emptyMasks) {
        return of(Arrays.stream(areas).asDoubleStream().toArray(), emptyMasks);
    }

    /** The distribution of the given mask areas (one per mask; contour areas can be fractional). */
    public static AreaDistribution of(double[] areas, EmptyMasks emptyMasks) {
        int nEmpty = 0;
        for (double a : areas) {
            if (a < 0) {
                throw new IllegalArgumentException("a foreground area cannot be negative, got " + a);
            }
            if (a == 0) {
                nEmpty++;
            }
        }
        double[] x = Arrays.stream(areas).filter(a -> emptyMasks == EmptyMasks.INCLUDE || a > 0).toArray();
        int n = x.length;
        double mean = n == 0 ? Double.NaN : new Mean().evaluate(x);
        double std = n == 0 ? Double.NaN : new StandardDeviation(false).evaluate(x);
        double m3 = 0;
        double m4 = 0;
        for (double v : x) {
            double d = v - mean;
            double d2 = d * d;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        double skew = Double.NaN;
        double kurt = Double.NaN;
        if (n >= 2 && std > 0) {
            m3 /= n;
            m4 /= n;
            skew = m3 / (std * std * std);
            kurt = m4 / (std * std * std * std) - 3.0;
        }
        return new AreaDistribution(n, nEmpty, areas.length, mean, std, skew, kurt, emptyMasks);
    }

    /** The distribution of the given mask areas. */
    public static AreaDistribution of(int[] areas, EmptyMasks emptyMasks) {
        return of(Arrays.stream(areas).asLongStream().toArray(), emptyMasks);
    }

    /** True when S and K are defined (at least 2 areas and σ &gt; 0). */
    public boolean isDefined() {
        return !Double.isNaN(skewness);
    }

    @Override
    public String toString() {
        return String.format("n=%d (%d masks, %d empty, %s), mean=%.4g, std=%.4g, skewness=%.4f, kurtosis=%.4f",
                n, nMasks, nEmpty, emptyMasks.label(), mean, std, skewness, kurtosis);
    }
}
