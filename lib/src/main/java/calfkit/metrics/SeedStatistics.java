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
        SummaryStatistics s = new SummaryStatistics();
        for (double v : values) {
            s.addValue(v);
        }
        int n = (int) s.getN();
        if (n < 2) {
            return new MeanCi(s.getMean(), Double.NaN, Double.NaN, n);
        }
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(0.975);
        double sd = s.getStandardDeviation();
        return new MeanCi(s.getMean(), sd, t * sd / Math.sqrt(n), n);
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
