package calfkit.metrics;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.commons.math3.stat.inference.TTest;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

/** Summaries over seeds: mean with a 95 % confidence interval, and paired tests between two losses. */
public final class SeedStatistics {

    private SeedStatistics() {
    }

    /**
     * Mean, sample standard deviation (n − 1) and the half-width of the mean's 95 % Student-t confidence interval
     * (NaN sd and half-width for n &lt; 2).
     */
    public record MeanCi(double mean, double sd, double halfWidth, int n) {
        @Override
        public String toString() {
            return Double.isNaN(halfWidth) ? String.format("%.4f", mean) : String.format("%.4f ± %.4f", mean, halfWidth);
        }
    }

    public static MeanCi meanCi(double[] values) {
        SummaryStatistics s = summary(values);
        int n = (int) s.getN();
        if (n < 2) {
            return new MeanCi(s.getMean(), Double.NaN, Double.NaN, n);
        }
        double sd = s.getStandardDeviation();
        return new MeanCi(s.getMean(), sd, t975(n) * sd / Math.sqrt(n), n);
    }

    /** The range a metric lives in, which its confidence interval must respect. */
    public enum Bounds {
        /** [0, 1] (accuracy, DSC, IoU, sensitivity, …): the interval is computed on the logit scale. */
        UNIT,
        /** [0, ∞) (HD95 in pixels): the interval is computed on the log(1 + x) scale. */
        POSITIVE;

        /** The bounds of a metric or a variant of it ({@link Metric#of}): HD95 is the one unbounded above. */
        public static Bounds of(String metric) {
            return Metric.of(metric).bounds();
        }
    }

    /**
     * A 95 % confidence interval of the mean that stays inside the metric's bounds: the Student-t interval of the
     * mean of the transformed values (logit for {@link Bounds#UNIT}, values clamped to [1e-6, 1 − 1e-6] first;
     * log(1 + x) for {@link Bounds#POSITIVE}), transformed back. Asymmetric around the mean, as a bounded metric's
     * interval near its bound must be. {NaN, NaN} for n &lt; 2.
     */
    public static double[] boundedCi(double[] values, Bounds bounds) {
        double[] z = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (bounds == Bounds.UNIT) {
                double c = Math.min(1 - 1e-6, Math.max(1e-6, v));
                z[i] = Math.log(c / (1 - c));
            } else {
                z[i] = Math.log1p(Math.max(0, v));
            }
        }
        SummaryStatistics s = summary(z);
        int n = (int) s.getN();
        if (n < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double half = t975(n) * s.getStandardDeviation() / Math.sqrt(n);
        double lo = s.getMean() - half;
        double hi = s.getMean() + half;
        return bounds == Bounds.UNIT ? new double[] {1 / (1 + Math.exp(-lo)), 1 / (1 + Math.exp(-hi))}
                : new double[] {Math.expm1(lo), Math.expm1(hi)};
    }

    private static SummaryStatistics summary(double[] values) {
        SummaryStatistics s = new SummaryStatistics();
        for (double v : values) {
            s.addValue(v);
        }
        return s;
    }

    private static double t975(int n) {
        return new TDistribution(null, n - 1).inverseCumulativeProbability(0.975);
    }

    /** A paired comparison of two losses on the same units (seeds, or test slices). */
    public record Paired(double meanDifference, double tTestP, double wilcoxonP, int n) {
        public boolean significant(double alpha) {
            return tTestP < alpha;
        }
    }

    /** Paired t-test (two-sided) and Wilcoxon signed-rank test of a − b. */
    public static Paired paired(double[] a, double[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("a paired test needs two samples of the same length ≥ 2, got "
                    + a.length + " and " + b.length);
        }
        double diff = 0;
        boolean allEqual = true;
        for (int i = 0; i < a.length; i++) {
            diff += a[i] - b[i];
            allEqual &= a[i] == b[i];
        }
        if (allEqual) {
            return new Paired(0, 1, 1, a.length);
        }
        double t = new TTest().pairedTTest(a, b);
        double w = new WilcoxonSignedRankTest().wilcoxonSignedRankTest(a, b, a.length <= 30);
        return new Paired(diff / a.length, t, w, a.length);
    }
}
