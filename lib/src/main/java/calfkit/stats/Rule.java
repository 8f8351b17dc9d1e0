package calfkit.stats;

/**
 * The rows of the paper's Table 2, in the table's order, and the two cases the table leaves open.
 *
 * <p>Decisions the table does not make, and what the kit does:
 * <ul>
 *   <li>S = 0 exactly matches no row ({@code −0.5 < S < 0} and {@code 0 < S ≤ 0.5} both exclude it):
 *       {@link #UNMATCHED}, BCE-Dice, as in the authors' released code, which falls to BCE-Dice for every
 *       case it does not match.</li>
 *   <li>S undefined (σ = 0, or fewer than 2 areas): {@link #UNDEFINED}, BCE-Dice likewise.</li>
 *   <li>S = 0.5 matches two rows, {@code 0.5 ≤ S < 1} (natural log) and {@code 0 < S ≤ 0.5}: the rows
 *       are tried in the table's order, so the natural-log row wins.</li>
 * </ul>
 */
public enum Rule {
    FISHER_S_LE_MINUS_1("S ≤ −1", Branch.FISHER),
    LOGIT_S_IN_MINUS_1_MINUS_HALF("−1 < S ≤ −0.5", Branch.LOGIT),
    ARCSINE_S_IN_MINUS_HALF_0("−0.5 < S < 0", Branch.ARCSINE),
    LOG10_S_GE_1("S ≥ 1", Branch.LOG10),
    LN_S_IN_HALF_1("0.5 ≤ S < 1", Branch.NATURAL_LOG),
    LOG10_S_IN_0_HALF_K_NEG("0 < S ≤ 0.5 and K < 0", Branch.LOG10),
    BCE_DICE_S_IN_0_HALF_K_NONNEG("0 < S ≤ 0.5 and K ≥ 0", Branch.BCE_DICE),
    UNMATCHED("S = 0 (no row of Table 2; BCE-Dice as in the authors' code)", Branch.BCE_DICE),
    UNDEFINED("S undefined (σ = 0 or n < 2; BCE-Dice as in the authors' code)", Branch.BCE_DICE);

    /** The seven rows of the paper's Table 2, in its order (without the two cases the table does not cover). */
    public static final java.util.List<Rule> TABLE_2 = java.util.List.of(FISHER_S_LE_MINUS_1, LOGIT_S_IN_MINUS_1_MINUS_HALF,
            ARCSINE_S_IN_MINUS_HALF_0, LOG10_S_GE_1, LN_S_IN_HALF_1, LOG10_S_IN_0_HALF_K_NEG, BCE_DICE_S_IN_0_HALF_K_NONNEG);

    private final String condition;
    private final Branch branch;

    Rule(String condition, Branch branch) {
        this.condition = condition;
        this.branch = branch;
    }

    /** The condition as the paper writes it. */
    public String condition() {
        return condition;
    }

    /** The transformation this rule selects. */
    public Branch branch() {
        return branch;
    }

    /** The rule Table 2 applies to skewness S and excess kurtosis K. */
    public static Rule select(double s, double k) {
        if (Double.isNaN(s)) {
            return UNDEFINED;
        }
        if (s <= -1) {
            return FISHER_S_LE_MINUS_1;
        }
        if (s <= -0.5) {
            return LOGIT_S_IN_MINUS_1_MINUS_HALF;
        }
        if (s < 0) {
            return ARCSINE_S_IN_MINUS_HALF_0;
        }
        if (s >= 1) {
            return LOG10_S_GE_1;
        }
        if (s >= 0.5) {
            return LN_S_IN_HALF_1;
        }
        if (s > 0) {
            // K is defined whenever S is; K < 0 is a flat distribution, K ≥ 0 a peaked one.
            return k < 0 ? LOG10_S_IN_0_HALF_K_NEG : BCE_DICE_S_IN_0_HALF_K_NONNEG;
        }
        return UNMATCHED;
    }
}
