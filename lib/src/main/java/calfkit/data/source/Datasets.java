package calfkit.data.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import calfkit.config.Scale;
import calfkit.config.Settings;
import calfkit.data.SliceIndex;
import calfkit.data.phantom.AnnotationBias;
import calfkit.data.phantom.PhantomConfig;
import calfkit.data.phantom.PhantomGenerator;
import calfkit.data.phantom.TumourAreas;
import calfkit.io.AtomicFiles;
import calfkit.stats.Rule;

/** Opens the dataset the settings point at, generating the embedded phantom dataset on first use. */
public final class Datasets {

    private Datasets() {
    }

    /**
     * The dataset of {@code CALF_DATA}, or the embedded synthetic phantom dataset for the scale, generated
     * into the cache folder the first time (into a temporary sibling, then moved into place, so an
     * interrupted generation never leaves a half dataset behind).
     */
    public static SliceIndex open(Settings settings) throws IOException {
        Path dir = settings.dataDir();
        if (settings.dataFromEnvironment()) {
            return SliceIndex.read(dir);
        }
        return cached(dir, PhantomConfig.forScale(settings.scale()));
    }

    /**
     * The scale's embedded phantom dataset with annotation bias {@code bias} instead of exact masks (its own
     * cache folder beside the exact one; the true tumours are saved beside the masks, {@link PhantomGenerator#TRUTH}).
     * With {@link AnnotationBias#EXACT} this is the embedded dataset itself.
     */
    public static SliceIndex phantom(Settings settings, AnnotationBias bias) throws IOException {
        if (bias == AnnotationBias.EXACT) {
            return open(new Settings(settings.scale(), Settings.phantomDir(settings.scale(), ""), false));
        }
        Path dir = Settings.phantomDir(settings.scale(), bias.name().toLowerCase(Locale.ROOT));
        PhantomConfig exact = PhantomConfig.forScale(settings.scale());
        return cached(dir, exact.withBias(bias, exact.biasPixels()));
    }

    /**
     * A phantom of the branch study (notebook 09): 32×32 slices, the scale's share of tumour slices (0.409, the
     * series'), its tumour areas drawn from a distribution placed in {@code rule}'s region of Table 2 when empty masks
     * are left out ({@link TumourAreas#forRule}), or the series' own distribution for a null rule (the identity
     * control's data). At quick scale 80 patients × 16 slices (test: 8 patients, 128 slices); cached beside the
     * embedded dataset, one folder a region.
     */
    public static SliceIndex study(Settings settings, Rule rule) throws IOException {
        String variant = "study-" + (rule == null ? "default" : rule.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return cached(Settings.phantomDir(settings.scale(), variant), studyConfig(settings.scale(), rule));
    }

    /** The branch study's phantom at a scale ({@link #study}). */
    public static PhantomConfig studyConfig(Scale scale, Rule rule) {
        PhantomConfig base = PhantomConfig.forScale(scale);
        PhantomConfig c = switch (scale) {
            case SMOKE -> base.withSize(32).withPatients(8, 8);
            case QUICK -> base.withSize(32).withPatients(80, 16);
            case FULL -> base;
        };
        return rule == null ? c : c.withAreas(TumourAreas.forRule(rule));
    }

    /**
     * The file in a phantom cache folder that records its index's fingerprint as the generator wrote it: a cache
     * whose index.csv no longer has it (cut short, edited, deleted) is rebuilt, not trained on.
     */
    public static final String FINGERPRINT_FILE = "phantom.fingerprint";

    /**
     * The cached phantom in {@code dir}, when its index reads and has the fingerprint the generator recorded;
     * otherwise generated again (a cache without the record, from before the kit kept one, is regenerated once and
     * replaced only when it differs). The cache is the kit's own: a damaged one is replaced, and said so on stderr.
     */
    static SliceIndex cached(Path dir, PhantomConfig config) throws IOException {
        Cache cache = check(dir);
        if (cache.index() != null) {
            return cache.index();
        }
        if (Files.exists(dir)) {
            System.err.println("[calf] the phantom cache " + dir + " " + cache.damage() + "; generating it again");
        }
        return generated(dir, config);
    }

    /** A cache folder as found: its index when it can be used as it is, else why not. */
    record Cache(SliceIndex index, String damage) {
    }

    /** The cache in {@code dir}, its index read once. */
    static Cache check(Path dir) {
        if (!Files.isRegularFile(dir.resolve(SliceIndex.FILE))) {
            return new Cache(null, Files.exists(dir) ? "has no " + SliceIndex.FILE : "is not there");
        }
        if (!Files.isRegularFile(dir.resolve(FINGERPRINT_FILE))) {
            return new Cache(null, "has no " + FINGERPRINT_FILE + " (made before the kit recorded one)");
        }
        try {
            String recorded = Files.readString(dir.resolve(FINGERPRINT_FILE)).trim();
            SliceIndex index = SliceIndex.read(dir);
            String now = index.fingerprint();
            return now.equals(recorded) ? new Cache(index, null) : new Cache(null, "has an " + SliceIndex.FILE
                    + " of fingerprint " + now + ", not the " + recorded + " it was generated with");
        } catch (IOException e) {
            return new Cache(null, "cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Why the cache in {@code dir} cannot be used as it is, or null when it can. */
    static String damage(Path dir) {
        return check(dir).damage();
    }

    /**
     * Generates the phantom into a temporary sibling of {@code dir}, records its fingerprint, and moves it into
     * place; a damaged cache there is moved aside and deleted. Another process doing the same at once is fine:
     * the generator is deterministic, and whichever copy lands first is used; this process's copy is always removed.
     */
    private static SliceIndex generated(Path dir, PhantomConfig config) throws IOException {
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".partial-");
        try {
            SliceIndex made = new PhantomGenerator(config).generate(tmp, true);
            AtomicFiles.writeString(tmp.resolve(FINGERPRINT_FILE), made.fingerprint() + "\n");
            if (Files.exists(dir) && damage(dir) != null) {
                Path old = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".damaged-");
                try {
                    Files.move(dir, old.resolve("cache"), StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    // Another process moved it first.
                }
                AtomicFiles.deleteTree(old);
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Another process placed its copy first (the same, the generator being deterministic): use it.
                if (damage(dir) != null) {
                    throw new IOException(dir + ": could not put the generated phantom in place (" + e + ")", e);
                }
            }
            return SliceIndex.read(dir);
        } finally {
            if (Files.exists(tmp)) {
                AtomicFiles.deleteTree(tmp);
            }
        }
    }
}
