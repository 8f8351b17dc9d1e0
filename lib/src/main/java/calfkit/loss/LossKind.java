package calfkit.loss;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import calfkit.config.Protocol;


/**
 * The kit's losses, the one registry of their names: each carries its command-line name, the label the papers'
 * tables print and its factory. Adding a loss is one constant here (and its class). {@link #CALF} has no factory of
 * its own: it needs the training set's area statistics ({@link CalfLoss#forDataset}), which the trainer supplies, or
 * a scope ({@code calf train --loss calf --scope per-batch}: {@link CalfLoss#perBatch}, with the run's empty-mask
 * rule); the scope is a setting of the one CALF, not a loss of its own name.
 *
 * <p>A loss whose conventions differ in the CALF authors' released code (Dice, IoU, Tversky, Focal, BCE-Dice, CALF)
 * also answers to its name with {@value #AUTHORS_SUFFIX} ("dice-authors"): that loss in the authors' conventions
 * under any protocol, so that a grid can hold both and one protocol choice can be changed at a time (notebook 08).
 * Under {@link Protocol#AUTHORS} the plain name already means the authors' conventions.
 */
public enum LossKind {
    BCE("bce", "BCE", BceLoss::new),
    DICE("dice", "Dice", DiceLoss::new, DiceLoss::authors),
    TVERSKY("tversky", "Tversky", TverskyLoss::new, TverskyLoss::authors),
    IOU("iou", "IoU", JaccardLoss::new, JaccardLoss::authors),
    FOCAL("focal", "Focal", FocalLoss::new, FocalLoss::authors),
    BCE_DICE("bce-dice", "BCE-Dice", BceDiceLoss::new, BceDiceLoss::authors),
    AFL("afl", "A-FL", AdaptiveFocalLoss::new),
    AFL_ALPHA("afl-alpha", "A-FL α", () -> new AdaptiveFocalLoss(true, false, false)),
    AFL_ALPHA_GVA("afl-alpha-gva", "A-FL α γva", () -> new AdaptiveFocalLoss(true, true, false)),
    AFL_ALPHA_GMSA("afl-alpha-gmsa", "A-FL α γmSa", () -> new AdaptiveFocalLoss(true, false, true)),
    AFL_GVA_GMSA("afl-gva-gmsa", "A-FL γva γmSa", () -> new AdaptiveFocalLoss(false, true, true)),
    BOUNDARY("boundary", "Boundary", BoundaryLoss::new),
    MODIFIED_BOUNDARY("modified-boundary", "Modified boundary", ModifiedBoundaryLoss::new),
    GENERALISED_DICE("generalised-dice", "Generalised Dice", GeneralisedDiceLoss::new),
    FISHER("fisher", "Fisher", FisherLoss::new),
    LOGIT("logit", "Logit", LogitLoss::new),
    ARCSINE("arcsine", "Arcsine", ArcsineLoss::new),
    LOG10("log10", "Log10", Log10Loss::new),
    LN("ln", "Natural log", NaturalLogLoss::new),
    /** BCE from logits / ln 10: Log10 without the clamp, BCE with Adam's ε × ln 10 (the identity control). */
    BCE_LOG10("bce-log10", "BCE / ln 10", ScaledBceLoss::new),
    /** The authors' region-specific CALF (their code, not the paper): {@link RegionSpecificCalfLoss}. */
    CALF_REGION("calf-region", "Region CALF", RegionSpecificCalfLoss::new),
    CALF("calf", "CALF", null);

    /** The suffix of a loss name that asks for the CALF authors' conventions under any protocol. */
    public static final String AUTHORS_SUFFIX = "-authors";

    private final String id;
    private final String label;
    private final Supplier<SegmentationLoss> factory;
    private final Supplier<SegmentationLoss> authorsFactory;

    LossKind(String id, String label, Supplier<SegmentationLoss> factory) {
        this(id, label, factory, factory);
    }

    /**
     * @param authorsFactory the loss as the CALF authors' released code computes it, where its conventions
     *                       differ from the kit's (reduction, smoothing, Tversky's weights, clamping)
     */
    LossKind(String id, String label, Supplier<SegmentationLoss> factory, Supplier<SegmentationLoss> authorsFactory) {
        this.id = id;
        this.label = label;
        this.factory = factory;
        this.authorsFactory = authorsFactory;
    }

    /** The command-line name ("bce", "modified-boundary"). */
    public String id() {
        return id;
    }

    /** The name as the papers' tables print it ("BCE", "Modified boundary"). */
    public String label() {
        return label;
    }

    /**
     * A new instance.
     *
     * @throws IllegalArgumentException for {@link #CALF}, which needs the training set's branch decision
     */
    public SegmentationLoss create() {
        return create(Protocol.KIT);
    }

    /**
     * A new instance in the conventions of a protocol: the kit's, or those of the CALF authors' released code:
     * Dice, IoU and Tversky per image with 1e-5 in the denominator only and Tversky's α = 0.7, β = 0.3; Focal on
     * probabilities clamped to [1e-6, 1 − 1e-6]; BCE-Dice with Dice's ε = 1e-7 (each loss's comment). The others
     * are the same in both.
     *
     * @throws IllegalArgumentException for {@link #CALF}, which needs the training set's branch decision
     */
    public SegmentationLoss create(Protocol protocol) {
        if (factory == null) {
            throw new IllegalArgumentException("loss 'calf' needs the training set's area statistics: "
                    + "use CalfLoss.forDataset(decision), or CalfLoss.perBatch(emptyMasks) for the per-batch scope "
                    + "(calf train --loss calf --scope per-batch), or CalfLoss.authors()");
        }
        return (protocol == Protocol.AUTHORS ? authorsFactory : factory).get();
    }

    /** Whether the CALF authors' code computes this loss differently from the kit (it then has a "-authors" name). */
    public boolean hasAuthorsConventions() {
        return this == CALF || authorsFactory != factory;
    }

    /**
     * The loss of a command-line name (case-insensitive, surrounding blanks ignored), "-authors" names included
     * ({@link LossName} keeps which conventions the name asks for).
     *
     * @throws IllegalArgumentException naming the value and listing the valid names
     */
    public static LossKind of(String name) {
        return LossName.parse(name).kind();
    }

    /** The loss of a registry id ("dice"; no "-authors" suffix), if there is one. */
    static java.util.Optional<LossKind> byId(String id) {
        return Arrays.stream(values()).filter(l -> l.id.equals(id)).findFirst();
    }

    /** A name as the papers' tables print it ("dice-authors" → "Dice (authors')"); unknown names as they are. */
    public static String labelOf(String name) {
        return LossName.find(name).map(LossName::label).orElse(name);
    }

    /** Every command-line name, in the registry's order, then the "-authors" ones. */
    public static String names() {
        return Arrays.stream(values()).map(LossKind::id).collect(Collectors.joining(", ")) + "; "
                + Arrays.stream(values()).filter(LossKind::hasAuthorsConventions).map(l -> l.id + AUTHORS_SUFFIX)
                .collect(Collectors.joining(", "));
    }
}
