package calfkit.metrics;

/**
 * How per-image confusion counts become one number for a test set.
 * <ul>
 *   <li>{@link #AUTHORS}: the authors' code ({@code validate} in {@code scripts/solver.py}): each metric computed
 *       per batch (from the batch's summed counts, 0/0 = 1) and averaged over batches, MAE included; accuracy
 *       over all pixels of the test set. Depends on the batch size and on which slices share a batch, as in the
 *       paper: the kit evaluates in batches of 32 slices ({@code Inference.BATCH}), the authors' test batch
 *       size, in the split's order: shuffled under the authors' protocol (their test loader is a
 *       {@code DistributedSampler} with {@code shuffle=True}; {@code PatientSplit.bySlice}), consecutive slices of
 *       one patient under the kit's, where a batch of tumour-free slices scores 1 or 0 on one false-positive
 *       pixel.</li>
 *   <li>{@link #POOLED}: counts summed over the whole test set, then each metric once.</li>
 *   <li>{@link #PER_IMAGE}: each metric per image (0/0 = 1), then averaged over images.</li>
 * </ul>
 */
public enum Reduction {
    AUTHORS, POOLED, PER_IMAGE
}
