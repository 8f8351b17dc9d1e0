package calfkit.data.source;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
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
        if (settings.dataFromEnvironment() || Files.isRegularFile(dir.resolve(SliceIndex.FILE))) {
            return SliceIndex.read(dir);
        }
        return generated(dir, PhantomConfig.forScale(settings.scale()));
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
        if (Files.isRegularFile(dir.resolve(SliceIndex.FILE))) {
            return SliceIndex.read(dir);
        }
        PhantomConfig exact = PhantomConfig.forScale(settings.scale());
        return generated(dir, exact.withBias(bias, exact.biasPixels()));
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
        Path dir = Settings.phantomDir(settings.scale(), variant);
        if (Files.isRegularFile(dir.resolve(SliceIndex.FILE))) {
            return SliceIndex.read(dir);
        }
        return generated(dir, studyConfig(settings.scale(), rule));
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

    private static SliceIndex generated(Path dir, PhantomConfig config) throws IOException {
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".partial-");
        new PhantomGenerator(config).generate(tmp, true);
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            // Another process generated it first (or the file system cannot rename atomically): use what is there,
            // and remove this process's copy (the generator is deterministic: the two are the same).
            if (!Files.isRegularFile(dir.resolve(SliceIndex.FILE))) {
                Files.move(tmp, dir);
            } else {
                AtomicFiles.deleteTree(tmp);
            }
        } catch (IOException e) {
            if (!Files.isRegularFile(dir.resolve(SliceIndex.FILE))) {
                throw e;
            }
            AtomicFiles.deleteTree(tmp);
        }
        return SliceIndex.read(dir);
    }
}
