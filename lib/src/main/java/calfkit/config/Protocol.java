package calfkit.config;

import java.util.Locale;

/**
 * Whose experimental protocol a run follows: one setting, {@code calf train --protocol}, {@code CALF_PROTOCOL} for
 * the notebooks, {@code protocol} in a run's {@code config.json}. The docs/protocols.md table lists every
 * aspect with the line of the authors' code it comes from.
 *
 * <ul>
 *   <li>{@link #KIT} (the default): the kit's choices where they are the better science: a patient-level split
 *       with a validation set, the best epoch chosen on pooled validation DSC, the kit's loss conventions, CALF's
 *       branch chosen once from the training set's pixel-count areas, the scale's recipe.</li>
 *   <li>{@link #AUTHORS}: as the CALF authors' released code ({@code masa-byte/MICCAI-Submission}) runs, as far
 *       as the kit can: 10 % of every patient's slices for test and all the others trained on, no validation set
 *       (their rule: Table 3's test sets hold the same number of each patient's slices), the comparison losses in their
 *       conventions ({@code loss_functions.py}), CALF choosing its branch per batch from OpenCV {@code RETR_TREE}
 *       contour areas, the authors' recipe (constant learning rate, no augmentation, PyTorch's initialisation, the
 *       last partial batch kept), the last epoch tested
 *       (no selection), and test metrics per shuffled batch of 32 slices ({@code solver.py}). The learning
 *       rate and the number of epochs stay the scale's (the authors' 1e-5 does not move a quick run in its
 *       budget: docs/convergence.md).</li>
 * </ul>
 * A protocol is a preset; its choices can also be changed one at a time under the kit's protocol: the split
 * ({@code calf train --split slices-per-patient}, {@code TrainConfig.split}), the start ({@code --init pytorch}),
 * the losses' conventions (a loss name with
 * {@code -authors}, {@code calfkit.loss.LossName#conventions}), the recipe ({@code --recipe authors}); the tested epoch
 * and the test reduction are compared on finished runs (notebook 08, {@code calfkit.experiments.ProtocolStudy}).
 */
public enum Protocol {
    KIT, AUTHORS;

    /** The environment variable the notebooks read. */
    public static final String ENV = "CALF_PROTOCOL";

    /** The protocol named by {@code CALF_PROTOCOL}; {@link #KIT} when it is unset or blank. */
    public static Protocol fromEnvironment() {
        return parse(System.getenv(ENV), ENV);
    }

    /**
     * Parses a protocol name, case-insensitively; {@code null} or blank gives {@link #KIT}.
     *
     * @param source what the value came from, for the error ("--protocol", "CALF_PROTOCOL")
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static Protocol parse(String value, String source) {
        if (value == null || value.isBlank()) {
            return KIT;
        }
        for (Protocol p : values()) {
            if (p.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException(source + "='" + value + "' is not a protocol; expected kit or authors");
    }

    /** The lower-case name used on the command line, in the environment and in config.json. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
