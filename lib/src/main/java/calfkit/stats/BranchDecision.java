package calfkit.stats;

/**
 * CALF's choice of transformation for one area distribution: the statistics it saw, the Table 2 rule that
 * matched and the branch (loss) it chose. Printable in a notebook.
 */
public record BranchDecision(AreaDistribution distribution, Rule rule) {

    /** Applies Table 2 to the distribution's skewness and kurtosis. */
    public static BranchDecision of(AreaDistribution distribution) {
        return new BranchDecision(distribution, Rule.select(distribution.skewness(), distribution.kurtosis()));
    }

    /** Applies Table 2 to the areas of a set of masks. */
    public static BranchDecision of(long[] areas, EmptyMasks emptyMasks) {
        return of(AreaDistribution.of(areas, emptyMasks));
    }

    public Branch branch() {
        return rule.branch();
    }

    public double skewness() {
        return distribution.skewness();
    }

    public double kurtosis() {
        return distribution.kurtosis();
    }

    @Override
    public String toString() {
        return String.format("CALF branch %s (rule %s) from S=%.4f, K=%.4f, n=%d (%s)", rule.branch().label(),
                rule.condition(), distribution.skewness(), distribution.kurtosis(), distribution.n(),
                distribution.emptyMasks().label());
    }
}
