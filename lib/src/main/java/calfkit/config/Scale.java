package calfkit.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How big every notebook and command runs: one setting, read from the environment variable {@code CALF_SCALE}.
 *
 * <ul>
 *   <li>{@link #SMOKE}: CI. Seconds per notebook; proves every cell runs, numbers mean nothing.</li>
 *   <li>{@link #QUICK}: the default and the main job. The whole notebook series on 2 CPU cores in at most
 *       15 minutes and 2 GB of memory: small images, small models, few epochs, several seeds.</li>
 *   <li>{@link #FULL}: the paper's settings (256×256 slices, batch 32, 20 epochs, learning rate 1e-5), for a
 *       GPU and the real datasets.</li>
 * </ul>
 */
public enum Scale {
    SMOKE, QUICK, FULL;

    /** The environment variable that selects the scale. */
    public static final String ENV = "CALF_SCALE";

    /** The scale named by {@code CALF_SCALE}; {@link #QUICK} when it is unset or blank. */
    public static Scale fromEnvironment() {
        return parse(System.getenv(ENV));
    }

    /**
     * Parses a scale name, case-insensitively; {@code null} or blank gives {@link #QUICK}.
     *
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static Scale parse(String value) {
        if (value == null || value.isBlank()) {
            return QUICK;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV + "='" + value + "' is not a scale; expected one of "
                    + Arrays.stream(values()).map(Scale::label).collect(Collectors.joining(", ")), e);
        }
    }

    /** The lower-case name used in the environment, file names and reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
