package calfkit.loss;

import java.util.EnumMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;

import calfkit.config.Protocol;
import calfkit.stats.AreaDistribution;
import calfkit.stats.Branch;
import calfkit.stats.BranchDecision;
import calfkit.stats.BranchScope;
import calfkit.stats.ContourArea;
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
 *       every call measures the areas of the batch's target masks (here foreground pixel counts) and chooses
 *       again. A batch of one mask, or of masks of equal area, has no defined S and falls to BCE-Dice.</li>
 *   <li>{@link #authors()}: CALF as the authors' code computes it ({@code AdaptiveDistributionLoss} in
 *       {@code scripts/conditionally_adaptive_loss_pytorch.py}): per batch, every mask of the batch (empty ones
 *       included) measured as OpenCV's {@code RETR_TREE} contour areas ({@link ContourArea}), and the BCE-Dice
 *       branch with their Dice ε = 1e-7 over the batch ({@link BceDiceLoss#authorsCalfBranch()}).</li>
 * </ul>
 * The value is that of the chosen transformation (same conventions: logits in, clamped probabilities,
 * mean over pixels). {@link #lastDecision()} and {@link #branchCounts()} show what was chosen.
 */
public final class CalfLoss extends SegmentationLoss {

    private final BranchScope scope;
    private final EmptyMasks emptyMasks;
    private final Protocol protocol;
    private final Map<Branch, SegmentationLoss> transforms = new EnumMap<>(Branch.class);
    private final Map<Branch, Integer> counts = new EnumMap<>(Branch.class);
    private BranchDecision decision;

    private CalfLoss(BranchScope scope, BranchDecision decision, EmptyMasks emptyMasks, Protocol protocol) {
        super("CALF");
        this.scope = scope;
        this.decision = decision;
        this.emptyMasks = emptyMasks;
        this.protocol = protocol;
    }

    /** CALF with the branch chosen once from the training set (the default scope). */
    public static CalfLoss forDataset(BranchDecision decision) {
        return new CalfLoss(BranchScope.DATASET, decision, decision.distribution().emptyMasks(), Protocol.KIT);
    }

    /** CALF that chooses its branch again for every batch from its masks' pixel counts. */
    public static CalfLoss perBatch(EmptyMasks emptyMasks) {
        return new CalfLoss(BranchScope.PER_BATCH, null, emptyMasks, Protocol.KIT);
    }

    /** CALF as the authors' code: per batch, RETR_TREE contour areas of every mask, their BCE-Dice. */
    public static CalfLoss authors() {
        return new CalfLoss(BranchScope.PER_BATCH, null, EmptyMasks.INCLUDE, Protocol.AUTHORS);
    }

    /** A CALF of the same scope, measure and decision with a fresh branch tally. */
    public CalfLoss freshCopy() {
        if (protocol == Protocol.AUTHORS) {
            return authors();
        }
        return scope == BranchScope.DATASET ? forDataset(decision) : perBatch(emptyMasks);
    }

    /** The transformation (loss) for a branch of Table 2, in the kit's conventions. */
    public static SegmentationLoss transform(Branch branch) {
        return transform(branch, Protocol.KIT);
    }

    /** The transformation (loss) for a branch of Table 2; only BCE-Dice differs between the protocols. */
    public static SegmentationLoss transform(Branch branch, Protocol protocol) {
        return switch (branch) {
            case FISHER -> new FisherLoss();
            case LOGIT -> new LogitLoss();
            case ARCSINE -> new ArcsineLoss();
            case LOG10 -> new Log10Loss();
            case NATURAL_LOG -> new NaturalLogLoss();
            case BCE_DICE -> protocol == Protocol.AUTHORS ? BceDiceLoss.authorsCalfBranch() : new BceDiceLoss();
        };
    }

    /** The protocol whose conventions this CALF follows. */
    public Protocol protocol() {
        return protocol;
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
            decision = protocol == Protocol.AUTHORS
                    ? BranchDecision.of(AreaDistribution.of(contourAreas(target), emptyMasks))
                    : BranchDecision.of(areas(target), emptyMasks);
        }
        Branch branch = decision.branch();
        counts.merge(branch, 1, Integer::sum);
        return transforms.computeIfAbsent(branch, b -> transform(b, protocol));
    }

    /** The RETR_TREE contour area of each mask of a batch (first axis = batch, last two = height, width). */
    static double[] contourAreas(NDArray target) {
        ai.djl.ndarray.types.Shape shape = target.getShape();
        int d = shape.dimension();
        if (d < 2) {
            throw new IllegalArgumentException("CALF (authors): a batch of masks needs at least 2 dimensions, got " + shape);
        }
        int h = (int) shape.get(d - 2);
        int w = (int) shape.get(d - 1);
        float[] values = target.toFloatArray();
        int n = values.length / (h * w);
        double[] areas = new double[n];
        byte[] mask = new byte[h * w];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h * w; j++) {
                mask[j] = (byte) (values[i * h * w + j] > 0.5f ? 1 : 0);
            }
            areas[i] = ContourArea.of(mask, w, h);
        }
        return areas;
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
