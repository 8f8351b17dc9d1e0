package calfkit.loss;

/**
 * Losses by command-line name, for the CLI and the notebooks: shorthands over the registry {@link LossKind}, which
 * holds each loss's name, label and factory.
 */
public final class Losses {

    private Losses() {
    }

    /** Every name {@link #create} and {@code calf train --loss} accept ("calf" included). */
    public static String names() {
        return LossKind.names();
    }

    /**
     * A new loss by name (case-insensitive). "calf" is not built here: it needs the training set's branch.
     *
     * @throws IllegalArgumentException naming the value and listing the valid names
     */
    public static SegmentationLoss create(String name) {
        LossName loss = LossName.parse(name);
        return loss.kind().create(loss.conventions(calfkit.config.Protocol.KIT));
    }

    /**
     * A loss's name as the papers' tables print it ("bce" → "BCE", "modified-boundary" → "Modified boundary");
     * "dice-authors" → "Dice (authors')"; a name the registry does not know is returned as it is.
     */
    public static String label(String loss) {
        return LossKind.labelOf(loss);
    }
}
