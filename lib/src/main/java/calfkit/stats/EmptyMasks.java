package calfkit.stats;

/**
 * Whether masks with no foreground (area 0) enter the area distribution. The choice moves skewness and
 * kurtosis a lot: a set with many empty slices has a large spike at 0 and a long right tail.
 */
public enum EmptyMasks {
    /** Every mask of the set counts, empty ones as area 0: the paper's wording ("all masks"). The default. */
    INCLUDE,
    /** Only masks with foreground count: the distribution of tumour sizes given a tumour. */
    EXCLUDE;

    public String label() {
        return this == INCLUDE ? "empty masks included" : "empty masks excluded";
    }
}
