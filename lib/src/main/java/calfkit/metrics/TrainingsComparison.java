package calfkit.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Whether one loss beats another <b>across trainings</b>: the difference of pooled test DSC between two losses,
 * trained with the same seeds and tested on the same slices, with both sources of doubt in its interval.
 *
 * <p>A training seed gives one difference Δ_s = DSC(a_s) − DSC(b_s) on all test slices; the estimate is their
 * mean Δ̄ over the n seeds. Its variance has two levels, as in a two-level (seeds, then slices) model:
 * <ul>
 *   <li>trainings: the seeds' sample variance s² of Δ_s, divided by n;</li>
 *   <li>test slices: the variance of Δ̄ under a paired bootstrap of the slices (the same draw for both losses
 *       and every seed, {@link PairedBootstrap}), which the seeds share and so cannot show.</li>
 * </ul>
 * SE = √(s²/n + SE²_slices), and the 95 % interval and two-sided p-value are Student t's with n − 1 degrees of
 * freedom: with 3 seeds the interval is Δ̄ ± 4.30 SE, as wide as three trainings allow. A bootstrap over the test
 * slices of one trained model (what the kit printed before) measures that model, not the loss: it leaves out the
 * first level, which on the quick series is as large as the gaps between losses.
 *
 * <p>The words: with fewer than {@link #MIN_SEEDS} seeds no verdict is given, only "these trainings differ by …";
 * from {@link #MIN_SEEDS} on, "a better" / "a worse" when the (Holm-adjusted) p is below 0.05, else "no
 * difference resolved".
 */
public final class TrainingsComparison {

    /** The fewest trainings a side that a verdict may rest on. */
    public static final int MIN_SEEDS = 3;

    /** Slice resamples of the second level. */
    public static final int RESAMPLES = 2000;

    /**
     * One comparison.
     *
     * @param difference mean over seeds of the difference in pooled test DSC (a − b)
     * @param low        the 95 % interval's low end (NaN for one seed)
     * @param high       its high end
     * @param p          two-sided p-value (NaN for one seed)
     * @param seedSd     the seeds' standard deviation of the difference (NaN for one seed)
     * @param sliceSe    the test slices' standard error of the mean difference
     * @param perSeed    each seed's difference, in the seeds' order
     * @param seeds      trainings a side
     * @param slices     test slices
     */
    public record Result(double difference, double low, double high, double p, double seedSd, double sliceSe,
                         double[] perSeed, int seeds, int slices) {

        /** Whether a verdict may be given: at least {@link #MIN_SEEDS} trainings a side. */
        public boolean decidable() {
            return seeds >= MIN_SEEDS;
        }
    }

    private TrainingsComparison() {
    }

    /**
     * @param a    the first loss's confusion counts on the test slices, one per seed
     * @param b    the second loss's, for the same seeds in the same order, on the same slices
     * @param seed seeds the slice resampling
     */
    public static Result pooledDsc(List<PairedBootstrap.Counts> a, List<PairedBootstrap.Counts> b, long seed) {
        int slices = PairedBootstrap.requirePaired(a, b);
        int n = a.size();
        double[] perSeed = new double[n];
        for (int s = 0; s < n; s++) {
            perSeed[s] = a.get(s).pooledDsc() - b.get(s).pooledDsc();
        }
        double sliceSe = standardDeviation(PairedBootstrap.resampledDifferences(a, b, RESAMPLES, seed));
        double mean = Arrays.stream(perSeed).average().orElse(Double.NaN);
        if (n < 2) {
            return new Result(mean, Double.NaN, Double.NaN, Double.NaN, Double.NaN, sliceSe, perSeed, n, slices);
        }
        double var = 0;
        for (double d : perSeed) {
            var += (d - mean) * (d - mean);
        }
        double sd = Math.sqrt(var / (n - 1));
        double se = Math.sqrt(sd * sd / n + sliceSe * sliceSe);
        TDistribution t = new TDistribution(n - 1);
        double half = t.inverseCumulativeProbability(0.975) * se;
        double p = se == 0 ? (mean == 0 ? 1 : 0) : 2 * t.cumulativeProbability(-Math.abs(mean) / se);
        return new Result(mean, mean - half, mean + half, p, sd, sliceSe, perSeed, n, slices);
    }

    /** The sample standard deviation (n − 1) of resampled mean differences: the slices' standard error. */
    private static double standardDeviation(double[] d) {
        double mean = Arrays.stream(d).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : d) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / (d.length - 1));
    }

    /**
     * The verdict of comparisons of one family, each p adjusted by Holm's step-down method over the family
     * ({@link PairedBootstrap#holm}; the undecidable ones are left out of it).
     *
     * @return for each result, {@link #words} with its adjusted p
     */
    public static List<String> verdicts(List<Result> family, String a, List<String> others) {
        double[] p = new double[family.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = family.get(i).decidable() ? family.get(i).p() : Double.NaN;
        }
        double[] adjusted = PairedBootstrap.holm(p);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            out.add(words(family.get(i), adjusted[i], a, others.get(i)));
        }
        return out;
    }

    /** The Holm-adjusted p-values of a family (NaN where a comparison has too few trainings). */
    public static double[] holm(List<Result> family) {
        return PairedBootstrap.holm(family.stream().mapToDouble(r -> r.decidable() ? r.p() : Double.NaN).toArray());
    }

    /**
     * What one comparison says: "a better than b", "a worse than b", "no difference resolved" (each with the
     * trainings behind it), or, with fewer than {@link #MIN_SEEDS} seeds, "N trainings a side: they differ by ±x (no
     * verdict: fewer than 3)".
     *
     * @param adjustedP the comparison's p after the family's adjustment
     */
    public static String words(Result r, double adjustedP, String a, String b) {
        if (!r.decidable()) {
            return String.format(Locale.ROOT, "%d training%s a side: they differ by %+.4f (no verdict: fewer than %d)",
                    r.seeds(), r.seeds() == 1 ? "" : "s", r.difference(), MIN_SEEDS);
        }
        if (adjustedP < 0.05) {
            return String.format(Locale.ROOT, "%s %s than %s (%d trainings a side)", a, r.difference() > 0 ? "better"
                    : "worse", b, r.seeds());
        }
        return String.format(Locale.ROOT, "no difference resolved (%d trainings a side)", r.seeds());
    }
}
