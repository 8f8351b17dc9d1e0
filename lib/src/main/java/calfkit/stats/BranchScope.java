package calfkit.stats;

/**
 * Over which masks CALF measures the area distribution that picks its branch.
 *
 * <p>The default is {@link #DATASET}: the paper's text describes the statistics of the dataset, computed
 * once, and one branch for the whole training then makes runs comparable and the loss a fixed function.
 * {@link #PER_BATCH} is what the authors' released code does: it recomputes the areas and the branch for
 * every training batch, so the loss can change from one batch to the next (their areas are OpenCV
 * {@code RETR_TREE} contour areas: {@code CalfLoss.authors()}; the kit's per-batch scope counts pixels).
 */
public enum BranchScope {
    DATASET, PER_BATCH
}
