package calfkit.data.phantom;

import org.apache.commons.math3.distribution.BetaDistribution;

import calfkit.stats.Rule;

/**
 * The distribution of tumour areas in a phantom dataset, as a fraction of the largest tumour area, given by
 * its quantile function on [0, 1]. The generator takes stratified quantiles (the i-th of n tumour slices
 * gets the (i + ½)/n quantile), so the sample's skewness and kurtosis land close to the distribution's:
 * that is how a dataset is placed in a chosen branch of CALF's Table 2 on purpose ({@link #forRule}).
 */
public interface TumourAreas {

    /** The u-quantile, u in (0, 1), as a fraction of the largest area (in [0, 1]). */
    double quantile(double u);

    /** A short description for reports. */
    String describe();

    /** Beta(a, b): skewness 2(b − a)√(a + b + 1) / ((a + b + 2)√(ab)). */
    static TumourAreas beta(double a, double b) {
        BetaDistribution d = new BetaDistribution(null, a, b);
        return new TumourAreas() {
            @Override
            public double quantile(double u) {
                return d.inverseCumulativeProbability(u);
            }

            @Override
            public String describe() {
                return "Beta(" + a + ", " + b + ")";
            }
        };
    }

    /**
     * An asymmetric Laplace law around {@code centre} with exponential tails of means {@code up} (right) and
     * {@code down} (left), clipped to [0, 1]: peaked and heavy-tailed (excess kurtosis &gt; 0).
     */
    static TumourAreas asymmetricLaplace(double centre, double up, double down) {
        double pUp = up / (up + down);
        return new TumourAreas() {
            @Override
            public double quantile(double u) {
                double x = u < 1 - pUp
                        ? centre + down * Math.log(u / (1 - pUp))
                        : centre - up * Math.log((1 - u) / pUp);
                return Math.max(0, Math.min(1, x));
            }

            @Override
            public String describe() {
                return "asymmetric Laplace(centre " + centre + ", right " + up + ", left " + down + ")";
            }
        };
    }

    /**
     * A distribution whose skewness S and excess kurtosis K select the given rule of Table 2 (with the
     * population moments of stratified quantiles): Beta(5, 1) S ≈ −1.18; Beta(5, 2) S ≈ −0.60;
     * Beta(3, 2) S ≈ −0.29; Beta(1, 5) S ≈ 1.18; Beta(2, 5) S ≈ 0.60; Beta(2, 3) S ≈ 0.29, K ≈ −0.64;
     * asymmetric Laplace S ≈ 0.3, K ≈ 1.5. UNMATCHED (S = 0) uses Beta(2, 2), UNDEFINED a single value.
     */
    static TumourAreas forRule(Rule rule) {
        return switch (rule) {
            case FISHER_S_LE_MINUS_1 -> beta(5, 1);
            case LOGIT_S_IN_MINUS_1_MINUS_HALF -> beta(5, 2);
            case ARCSINE_S_IN_MINUS_HALF_0 -> beta(3, 2);
            case LOG10_S_GE_1 -> beta(1, 5);
            case LN_S_IN_HALF_1 -> beta(2, 5);
            case LOG10_S_IN_0_HALF_K_NEG -> beta(2, 3);
            case BCE_DICE_S_IN_0_HALF_K_NONNEG -> asymmetricLaplace(0.45, 0.11, 0.10);
            case UNMATCHED -> beta(2, 2);
            case UNDEFINED -> new TumourAreas() {
                @Override
                public double quantile(double u) {
                    return 0.5;
                }

                @Override
                public String describe() {
                    return "one area for every tumour";
                }
            };
        };
    }
}
