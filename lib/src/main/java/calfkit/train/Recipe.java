package calfkit.train;

/**
 * How a run is optimised. Both use Adam; they differ in what the CALF authors' recipe leaves to chance.
 *
 * <ul>
 *   <li>{@link #AUTHORS}: the optimisation of the authors' {@code scripts/run_training.py}: Adam at a constant
 *       learning rate (1e-5 at {@code full} scale, batch 32, 20 epochs), no augmentation; here with the head's bias
 *       at 0 and BatchNorm's running statistics as training left them. Under the kit's protocol the best epoch is
 *       then chosen on the per-batch validation DSC; the authors' code has no validation set and tests the last
 *       epoch, which the authors' protocol does ({@code calfkit.config.Protocol}). Their models start as PyTorch
 *       builds them ({@link calfkit.model.Initialisation#PYTORCH}) and their loader trains on an epoch's last partial
 *       batch; the recipe does both (runs saved before it did neither: their config.json has no {@code init}).</li>
 *   <li>{@link #KIT}: from Xavier-initialised weights ({@link calfkit.model.Initialisation#KIT}), with what helps a
 *       short run reach its plateau (the docs/convergence.md section measures the
 *       prior bias's part against the same network in PyTorch, and how many runs reach their plateau):
 *     <ul>
 *       <li>the prior bias: the head's bias starts at the log-odds of the training sample's foreground pixel
 *           fraction, log(π / (1 − π)) (Lin et al., RetinaNet, 2017), so the first steps do not spend themselves
 *           pushing every background pixel below the threshold; the overlap losses (Dice, IoU, Tversky),
 *           whose gradients vanish there, start at probability 0.1 ({@code RegionLoss.startingProbability});</li>
 *       <li>the learning rate rises linearly over a warm-up (one epoch, at most a tenth of the steps) and then
 *           follows a cosine to 1 % of its peak at the last step ({@link LearningRateSchedule});</li>
 *       <li>before each validation and before testing, BatchNorm's running statistics are re-estimated on
 *           64 un-augmented training slices in training mode ({@link BatchNormStatistics}), so validation sees the
 *           statistics of the current weights rather than a lagging average;</li>
 *       <li>stratified batches ({@code EpochSampler}): the epoch's tumour slices are dealt evenly over its batches,
 *           so that at ratio 0.1 about a fifth of the batches hold no tumour instead of 43 %; measured on the quick
 *           FPN at ratio 0.1 (seeds 2, 3, 4; docs/convergence.md), the final validation DSC of Dice, IoU and
 *           Tversky went from 0.77/0.75/0.85, 0.00/0.63/0.85 and 0.73/0.49/0.81 to 0.83/0.79/0.85, 0.82/0.81/0.86
 *           and 0.03/0.77/0.83;</li>
 *       <li>the best epoch is chosen on the pooled validation DSC (counts summed over the validation set): the
 *           authors' per-batch DSC scores a tumour-free batch 1 or 0 on a single false-positive pixel.</li>
 *     </ul>
 *   </li>
 * </ul>
 */
public enum Recipe {
    KIT, AUTHORS,
    /** {@link #KIT} with the head's bias at 0: the convergence study's ablation of the prior bias. */
    KIT_NO_PRIOR;

    /** Whether the head's bias starts at the training sample's foreground log-odds. */
    public boolean priorBias() {
        return this == KIT;
    }

    /** Whether each batch gets its even share of the epoch's tumour slices ({@code EpochSampler}, stratified). */
    public boolean stratifiedBatches() {
        return this != AUTHORS;
    }

    /** Whether the learning rate follows warm-up and cosine decay (else it is constant). */
    public boolean schedule() {
        return this != AUTHORS;
    }

    /** Whether BatchNorm's running statistics are re-estimated before validating and testing. */
    public boolean reestimateBatchNorm() {
        return this != AUTHORS;
    }

    /** Whether the best epoch is chosen on the pooled validation DSC (else on the authors' per-batch DSC). */
    public boolean pooledSelection() {
        return this != AUTHORS;
    }

    /**
     * How a run of this recipe starts: PyTorch's default under {@link #AUTHORS} (their models set no initialiser),
     * the kit's Xavier otherwise.
     */
    public calfkit.model.Initialisation initialisation() {
        return this == AUTHORS ? calfkit.model.Initialisation.PYTORCH : calfkit.model.Initialisation.KIT;
    }

    /** Whether an epoch's last partial batch is trained on (their {@code DataLoader} keeps it; the kit's drops it). */
    public boolean keepsLastBatch() {
        return this == AUTHORS;
    }

    /** The name used on the command line ("kit", "authors", "kit-no-prior") and in config.json. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * The recipe of a command-line name.
     *
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static Recipe parse(String name) {
        for (Recipe r : values()) {
            if (r.label().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("--recipe expects kit, authors or kit-no-prior, got '" + name + "'");
    }
}
