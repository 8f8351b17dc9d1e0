package calfkit.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The kit's settings from the environment: the {@link Scale} ({@code CALF_SCALE}) and the data location
 * ({@code CALF_DATA}). Without {@code CALF_DATA} the kit uses its embedded synthetic phantom-MRI dataset,
 * generated on first use under {@link #defaultDataDir()}.
 */
public record Settings(Scale scale, Path dataDir, boolean dataFromEnvironment) {

    /** The environment variable that points the kit at a dataset in the slice layout. */
    public static final String DATA_ENV = "CALF_DATA";

    /**
     * The embedded phantom dataset's version, part of its cache folder's name: raised whenever the generator or
     * a scale's phantom settings change, so that a copy cached by an older kit is never read as the current one.
     * Version 2: the quick phantom is 48×48 (it was 64×64).
     */
    public static final int PHANTOM_VERSION = 2;

    /** Settings read from this process's environment. */
    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    /** Settings read from the given environment (testable without touching the real one). */
    public static Settings from(Map<String, String> env) {
        Scale scale = Scale.parse(env.get(Scale.ENV));
        String data = env.get(DATA_ENV);
        if (data == null || data.isBlank()) {
            return new Settings(scale, phantomDir(defaultDataDir(env), scale, ""), false);
        }
        return new Settings(scale, Path.of(data.trim()).toAbsolutePath().normalize(), true);
    }

    /**
     * The cache folder of the embedded phantom dataset of a scale, {@code phantom-<scale>[-<variant>]-v<version>}
     * under {@link #defaultDataDir()}; {@code variant} names a variant of its masks ("" for the exact ones,
     * "polygon" for polygon annotations).
     */
    public static Path phantomDir(Scale scale, String variant) {
        return phantomDir(defaultDataDir(), scale, variant);
    }

    private static Path phantomDir(Path base, Scale scale, String variant) {
        return base.resolve("phantom-" + scale.label() + (variant.isEmpty() ? "" : "-" + variant) + "-v" + PHANTOM_VERSION);
    }

    /** The environment variable naming the folder where notebooks save their runs and CSV results. */
    public static final String RESULTS_ENV = "CALF_RESULTS";

    /**
     * Where notebooks save training runs and result tables: {@code CALF_RESULTS} (the notebook runner sets it
     * to the folder of the executed notebooks), else {@code results/interactive} beside the notebooks folder.
     */
    public static Path resultsDir() {
        String r = System.getenv(RESULTS_ENV);
        if (r != null && !r.isBlank()) {
            return Path.of(r.trim()).toAbsolutePath().normalize();
        }
        Path cwd = Path.of("").toAbsolutePath();
        Path base = cwd.getFileName() != null && cwd.getFileName().toString().equals("notebooks") ? cwd.getParent() : cwd;
        return base.resolve("results").resolve("interactive");
    }

    /**
     * Where notebooks under a protocol save their runs: {@link #resultsDir()}, and for {@link Protocol#AUTHORS} its
     * subfolder {@code authors-protocol}, so that runs of the two protocols never share a folder or a grid file.
     */
    public static Path resultsDir(Protocol protocol) {
        return protocol == Protocol.AUTHORS ? resultsDir().resolve("authors-protocol") : resultsDir();
    }

    /** Where generated data and caches live: {@code $XDG_CACHE_HOME/calf-kit}, else {@code ~/.cache/calf-kit}. */
    public static Path defaultDataDir() {
        return defaultDataDir(System.getenv());
    }

    private static Path defaultDataDir(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("calf-kit");
    }

    @Override
    public String toString() {
        return "scale=" + scale + ", data=" + dataDir
                + (dataFromEnvironment ? " (from " + DATA_ENV + ")" : " (embedded synthetic phantom dataset)");
    }
}
