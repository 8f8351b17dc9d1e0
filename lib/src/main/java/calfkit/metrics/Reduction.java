package calfkit.metrics;

/**
 * How per-image confusion counts become one number for a test set.
 * <ul>
 *   <li>{@link #AUTHORS}: the authors' code: each metric computed per batch (from the batch's summed counts,
 *       0/0 = 1) and averaged over batches; accuracy and MAE over all pixels of the test set. Depends on the
 *       batch size, as in the paper: the kit evaluates in batches of 32 slices
 *       ({@code Inference.BATCH}), the authors' test batch size, in the split's slice order (theirs is
 *       a shuffled distributed sampler).</li>
 *   <li>{@link #POOLED}: counts summed over the whole test set, then each metric once.</li>
 *   <li>{@link #PER_IMAGE}: each metric per image (0/0 = 1), then averaged over images.</li>
 * </ul>
 */
public enum Reduction {
    AUTHORS, POOLED, PER_IMAGE
}
