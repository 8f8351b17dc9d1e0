package calfkit.loss;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import calfkit.stats.EmptyMasks;

/**
 * The kit's losses by name, for the command line and notebooks. Names are lower case; {@link #names()}
 * lists them. "calf" needs a branch decision from the training set and is built by the trainer
 * ({@link CalfLoss#forDataset}); "calf-batch" is CALF in the per-batch scope.
 */
public final class Losses {

    private static final Map<String, Supplier<SegmentationLoss>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("bce", BceLoss::new);
        BY_NAME.put("dice", DiceLoss::new);
        BY_NAME.put("tversky", TverskyLoss::new);
        BY_NAME.put("iou", JaccardLoss::new);
        BY_NAME.put("focal", FocalLoss::new);
        BY_NAME.put("bce-dice", BceDiceLoss::new);
        BY_NAME.put("calf-batch", () -> CalfLoss.perBatch(EmptyMasks.INCLUDE));
        BY_NAME.put("afl", AdaptiveFocalLoss::new);
        BY_NAME.put("afl-alpha", () -> new AdaptiveFocalLoss(true, false, false));
        BY_NAME.put("afl-alpha-gva", () -> new AdaptiveFocalLoss(true, true, false));
        BY_NAME.put("afl-alpha-gmsa", () -> new AdaptiveFocalLoss(true, false, true));
        BY_NAME.put("afl-gva-gmsa", () -> new AdaptiveFocalLoss(false, true, true));
        BY_NAME.put("boundary", BoundaryLoss::new);
        BY_NAME.put("modified-boundary", ModifiedBoundaryLoss::new);
        BY_NAME.put("generalised-dice", GeneralisedDiceLoss::new);
        BY_NAME.put("fisher", FisherLoss::new);
        BY_NAME.put("logit", LogitLoss::new);
        BY_NAME.put("arcsine", ArcsineLoss::new);
        BY_NAME.put("log10", Log10Loss::new);
        BY_NAME.put("ln", NaturalLogLoss::new);
    }

    private Losses() {
    }

    /** Every name {@link #create} accepts, plus "calf". */
    public static String names() {
        return String.join(", ", BY_NAME.keySet()) + ", calf";
    }

    /**
     * A new loss by name (case-insensitive). "calf" is not built here: it needs the training set's branch.
     *
     * @throws IllegalArgumentException naming the value and listing the valid names
     */
    public static SegmentationLoss create(String name) {
        Supplier<SegmentationLoss> s = BY_NAME.get(name == null ? "" : name.trim().toLowerCase(Locale.ROOT));
        if (s == null) {
            if ("calf".equalsIgnoreCase(String.valueOf(name).trim())) {
                throw new IllegalArgumentException("loss 'calf' needs the training set's area statistics: "
                        + "use CalfLoss.forDataset(decision), or 'calf-batch' for the per-batch scope");
            }
            throw new IllegalArgumentException("unknown loss '" + name + "'; expected one of " + names());
        }
        return s.get();
    }

    /** A loss's name as the papers' tables print it ("bce" → "BCE", "modified-boundary" → "Modified boundary"). */
    public static String label(String loss) {
        return switch (loss == null ? "" : loss.trim().toLowerCase(Locale.ROOT)) {
            case "bce" -> "BCE";
            case "focal" -> "Focal";
            case "calf" -> "CALF";
            case "calf-batch" -> "CALF (per batch)";
            case "dice" -> "Dice";
            case "tversky" -> "Tversky";
            case "iou" -> "IoU";
            case "bce-dice" -> "BCE-Dice";
            case "afl" -> "A-FL";
            case "afl-alpha" -> "A-FL α";
            case "afl-alpha-gva" -> "A-FL α γva";
            case "afl-alpha-gmsa" -> "A-FL α γmSa";
            case "afl-gva-gmsa" -> "A-FL γva γmSa";
            case "boundary" -> "Boundary";
            case "modified-boundary" -> "Modified boundary";
            case "generalised-dice" -> "Generalised Dice";
            default -> loss;
        };
    }
}
