package calfkit.loss;

import java.util.EnumMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;

import calfkit.stats.Branch;
import calfkit.stats.BranchDecision;
import calfkit.stats.BranchScope;
import calfkit.stats.EmptyMasks;

/**
 * CALF, the conditionally adaptive loss (paper §2.2, Table 2): it measures the skewness S and excess
 * kurtosis K of the foreground areas and applies the transformation Table 2 assigns to them
 * ({@link calfkit.stats.Rule}).
 *
 * <ul>
 *   <li>{@link #forDataset(BranchDecision)}: the {@link BranchScope#DATASET dataset scope}, the default:
 *       the branch was chosen once from the training set's areas and stays fixed.</li>
 *   <li>{@link #perBatch(EmptyMasks)}: the {@link BranchScope#PER_BATCH per-batch scope} of the authors' code:
 *       every call measures the areas of the batch's target masks (foreground pixel counts) and chooses
 *       again. A batch of one mask, or of masks of equal area, has no defined S and falls to BCE-Dice.</li>
 * </ul>
 * The value is that of the chosen transformation (same conventions: logits in, clamped probabilities,
 * mean over pixels). {@link #lastDecision()} and {@link #branchCounts()} show what was chosen.
 */
public final class CalfLoss extends SegmentationLoss {

    private final BranchScope scope;
    private final EmptyMasks emptyMasks;
    private final Map<Branch, SegmentationLoss> transforms = new EnumMap<>(Branch.class);
    private final Map<Branch, Integer> counts = new EnumMap<>(Branch.class);
    private BranchDecision decision;

    private CalfLoss(BranchScope scope, BranchDecision decision, EmptyMasks emptyMasks) {
        super("CALF");
        this.scope = scope;
        this.decision = decision;
        this.emptyMasks = emptyMasks;
    }

    /** CALF with the branch chosen once from the training set (the default scope). */
    public static CalfLoss forDataset(BranchDecision decision) {
        return new CalfLoss(BranchScope.DATASET, decision, decision.distribution().emptyMasks());
    }

    /** CALF that chooses its branch again for every batch, as the authors' code does. */
    public static CalfLoss perBatch(EmptyMasks emptyMasks) {
        return new CalfLoss(BranchScope.PER_BATCH, null, emptyMasks);
    }

    /** A CALF of the same scope and decision with a fresh branch tally. */
    public CalfLoss freshCopy() {
        return scope == BranchScope.DATASET ? forDataset(decision) : perBatch(emptyMasks);
    }

    /** The transformation (loss) for a branch of Table 2. */
    public static SegmentationLoss transform(Branch branch) {
        return switch (branch) {
            case FISHER -> new FisherLoss();
            case LOGIT -> new LogitLoss();
            case ARCSINE -> new ArcsineLoss();
            case LOG10 -> new Log10Loss();
            case NATURAL_LOG -> new NaturalLogLoss();
            case BCE_DICE -> new BceDiceLoss();
        };
    }

    public BranchScope scope() {
        return scope;
    }

    /** Whether empty masks enter the area statistics. */
    public EmptyMasks emptyMasks() {
        return emptyMasks;
    }

    /** The decision the last evaluation used (for the dataset scope, the fixed one; null before any batch). */
    public BranchDecision lastDecision() {
        return decision;
    }

    /** How many evaluations used each branch so far. */
    public Map<Branch, Integer> branchCounts() {
        return Map.copyOf(counts);
    }

    @Override
    public NDArray fromLogits(NDArray logits, NDArray target) {
        return choose(target).fromLogits(logits, target);
    }

    @Override
    public NDArray fromProbabilities(NDArray p, NDArray target) {
        return choose(target).fromProbabilities(p, target);
    }

    private SegmentationLoss choose(NDArray target) {
        if (scope == BranchScope.PER_BATCH) {
            decision = BranchDecision.of(areas(target), emptyMasks);
        }
        Branch branch = decision.branch();
        counts.merge(branch, 1, Integer::sum);
        return transforms.computeIfAbsent(branch, CalfLoss::transform);
    }

    /** Foreground pixel count of each mask of a batch (first axis = batch). */
    static long[] areas(NDArray target) {
        long batch = target.getShape().dimension() == 0 ? 1 : target.getShape().get(0);
        float[] sums = target.reshape(batch, -1).gt(0.5f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .sum(new int[] {1}).toFloatArray();
        long[] areas = new long[sums.length];
        for (int i = 0; i < sums.length; i++) {
            areas[i] = Math.round(sums[i]);
        }
        return areas;
    }
}
