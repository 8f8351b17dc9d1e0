package calfkit.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A paired bootstrap over test slices (Efron and Tibshirani, 1993, ch. 16; the usual test for two
 * segmentation models scored on the same images): the difference of pooled DSC between two losses, averaged
 * over the training seeds, with slices resampled with replacement, the same draw for both losses and every seed.
 * It answers "would this difference hold on other test slices like these?" for the trained models at hand; the
 * seed-to-seed spread is reported beside it.
 *
 * <p>{@link #unpairedPooledDsc} is its counterpart for two test sets that differ (the split of notebook 08): each
 * run's slices resampled on their own.
 *
 * <p>Pooled DSC of a set of slices = 2 Σtp / (2 Σtp + Σfp + Σfn), 1 when the denominator is 0. The interval is
 * the percentile interval of the resampled differences; the two-sided p-value is
 * 2 · min(#{Δ* ≤ 0} + 1, #{Δ* ≥ 0} + 1) / (B + 1), capped at 1.
 */
public final class PairedBootstrap {

    /** One model's confusion counts on the test slices, in a fixed slice order. */
    public record Counts(long[] tp, long[] fp, long[] fn) {
        public Counts {
            if (tp.length != fp.length || tp.length != fn.length) {
                throw new IllegalArgumentException("tp, fp, fn of different lengths: " + tp.length + ", " + fp.length
                        + ", " + fn.length);
            }
        }

        public int slices() {
            return tp.length;
        }

        /** Pooled DSC of every slice. */
        public double pooledDsc() {
            int[] all = new int[slices()];
            Arrays.setAll(all, i -> i);
            return pooledDsc(all);
        }

        /** Pooled DSC of the slices {@code idx} (each index once per occurrence). */
        double pooledDsc(int[] idx) {
            long t = 0;
            long f = 0;
            for (int i : idx) {
                t += tp[i];
                f += fp[i] + fn[i];
            }
            return 2 * t + f == 0 ? 1 : 2.0 * t / (2 * t + f);
        }
    }

    /** The observed difference (a − b), its 95 % percentile interval and the two-sided p-value. */
    public record Result(double difference, double low, double high, double p, int slices, int seeds, int resamples) {
    }

    private PairedBootstrap() {
    }

    /**
     * @param a         the first loss's counts, one per seed
     * @param b         the second loss's counts, for the same seeds, on the same slices in the same order
     * @param resamples bootstrap resamples (the kit uses 2000)
     * @param seed      seeds the resampling
     */
    public static Result pooledDsc(List<Counts> a, List<Counts> b, int resamples, long seed) {
        int n = requirePaired(a, b);
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return summary(difference(a, b, all), resampledDifferences(a, b, resamples, seed), n, a.size());
    }

    /** The number of test slices of paired counts, refused when the seeds or the slices do not pair. */
    static int requirePaired(List<Counts> a, List<Counts> b) {
        if (a.isEmpty() || a.size() != b.size()) {
            throw new IllegalArgumentException("a paired bootstrap needs the same seeds for both losses, got " + a.size()
                    + " and " + b.size());
        }
        int n = a.get(0).slices();
        for (int s = 0; s < a.size(); s++) {
            if (a.get(s).slices() != n || b.get(s).slices() != n) {
                throw new IllegalArgumentException("seed " + s + " scores " + a.get(s).slices() + " and " + b.get(s).slices()
                        + " slices; expected " + n + " (the same test slices for every run)");
            }
        }
        return n;
    }

    /**
     * The mean difference a − b over seeds on each of {@code resamples} draws of the test slices with replacement,
     * the same draw for both sides and every seed.
     */
    static double[] resampledDifferences(List<Counts> a, List<Counts> b, int resamples, long seed) {
        int n = a.get(0).slices();
        SplittableRandom random = new SplittableRandom(seed);
        double[] d = new double[resamples];
        int[] idx = new int[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                idx[i] = random.nextInt(n);
            }
            d[r] = difference(a, b, idx);
        }
        return d;
    }

    /**
     * The difference of pooled DSC (mean over a's runs − mean over b's runs) when the two sides were scored on
     * different test slices: every run's slices resampled with replacement on their own, the same percentile
     * interval and p-value as {@link #pooledDsc}. The runs of one side may differ in their slices too.
     */
    public static Result unpairedPooledDsc(List<Counts> a, List<Counts> b, int resamples, long seed) {
        if (a.isEmpty() || b.isEmpty()) {
            throw new IllegalArgumentException("a bootstrap needs runs on both sides, got " + a.size() + " and " + b.size());
        }
        double observed = meanPooledDsc(a) - meanPooledDsc(b);
        SplittableRandom random = new SplittableRandom(seed);
        double[] d = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            d[r] = meanPooled(a, random) - meanPooled(b, random);
        }
        return summary(observed, d, a.get(0).slices(), a.size());
    }

    /** The observed difference with the 95 % percentile interval and the two-sided p-value of resampled ones. */
    private static Result summary(double observed, double[] d, int slices, int seeds) {
        int below = 0;
        int above = 0;
        for (double x : d) {
            below += x <= 0 ? 1 : 0;
            above += x >= 0 ? 1 : 0;
        }
        Arrays.sort(d);
        int resamples = d.length;
        double low = d[(int) Math.floor(0.025 * (resamples - 1))];
        double high = d[(int) Math.ceil(0.975 * (resamples - 1))];
        double p = Math.min(1, 2.0 * (Math.min(below, above) + 1) / (resamples + 1));
        return new Result(observed, low, high, p, slices, seeds, resamples);
    }

    /** Mean pooled DSC over runs, each on all its slices. */
    public static double meanPooledDsc(List<Counts> runs) {
        return meanPooled(runs, null);
    }

    /** Mean pooled DSC over runs, each on all its slices (random null) or on a resample of them. */
    private static double meanPooled(List<Counts> runs, SplittableRandom random) {
        double sum = 0;
        for (Counts c : runs) {
            int[] idx = new int[c.slices()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = random == null ? i : random.nextInt(idx.length);
            }
            sum += c.pooledDsc(idx);
        }
        return sum / runs.size();
    }

    private static double difference(List<Counts> a, List<Counts> b, int[] idx) {
        double sum = 0;
        for (int s = 0; s < a.size(); s++) {
            sum += a.get(s).pooledDsc(idx) - b.get(s).pooledDsc(idx);
        }
        return sum / a.size();
    }

    /**
     * Holm's step-down adjustment (Holm, 1979) of a family of p-values, controlling the family-wise error rate:
     * sorted ascending, p_(i) becomes max over j ≤ i of min(1, (m − j + 1) · p_(j)). NaN p-values are left out of
     * the family and stay NaN.
     */
    public static double[] holm(double[] p) {
        Integer[] order = new Integer[p.length];
        int m = 0;
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
            m += Double.isNaN(p[i]) ? 0 : 1;
        }
        Arrays.sort(order, (i, j) -> Double.compare(Double.isNaN(p[i]) ? 2 : p[i], Double.isNaN(p[j]) ? 2 : p[j]));
        double[] adjusted = new double[p.length];
        Arrays.fill(adjusted, Double.NaN);
        double running = 0;
        for (int k = 0; k < m; k++) {
            int i = order[k];
            running = Math.max(running, Math.min(1, (m - k) * p[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
