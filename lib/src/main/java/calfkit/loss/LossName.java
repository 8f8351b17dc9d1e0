package calfkit.loss;

import java.util.Locale;
import java.util.Optional;

import calfkit.config.Protocol;

/**
 * A loss as a run names it: the registry's loss ({@link LossKind}) and whether the name asks for the CALF authors'
 * conventions ({@code "dice-authors"}: their per-image Dice) whatever the run's protocol. Parsed once from a
 * command-line, grid-file or config.json name ({@link #parse}); {@link #id} gives the name back.
 *
 * @param kind    the registry's loss
 * @param authors true for a {@code -authors} name (only for a loss that has the authors' conventions)
 */
public record LossName(LossKind kind, boolean authors) {

    public LossName {
        if (authors && !kind.hasAuthorsConventions()) {
            throw new IllegalArgumentException("loss '" + kind.id() + "' has no authors' conventions of its own; "
                    + "expected one of " + LossKind.names());
        }
    }

    /**
     * The loss of a name (case-insensitive, surrounding blanks ignored), {@code -authors} names included.
     *
     * @throws IllegalArgumentException naming the value and listing the valid names
     */
    public static LossName parse(String name) {
        return find(name).orElseThrow(
                () -> new IllegalArgumentException("unknown loss '" + name + "'; expected one of " + LossKind.names()));
    }

    /** The loss of a name, if the registry has it. */
    public static Optional<LossName> find(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        boolean authors = key.endsWith(LossKind.AUTHORS_SUFFIX);
        String id = authors ? key.substring(0, key.length() - LossKind.AUTHORS_SUFFIX.length()) : key;
        return LossKind.byId(id).filter(k -> !authors || k.hasAuthorsConventions()).map(k -> new LossName(k, authors));
    }

    /** The conventions a run under {@code protocol} computes this loss in: the authors' for a -authors name. */
    public Protocol conventions(Protocol protocol) {
        return authors ? Protocol.AUTHORS : protocol;
    }

    /** The name as a command line writes it ("dice", "dice-authors"). */
    public String id() {
        return kind.id() + (authors ? LossKind.AUTHORS_SUFFIX : "");
    }

    /** The name as the papers' tables print it ("Dice", "Dice (authors')"). */
    public String label() {
        return kind.label() + (authors ? " (authors')" : "");
    }

    @Override
    public String toString() {
        return id();
    }
}
