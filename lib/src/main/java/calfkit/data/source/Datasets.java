package calfkit.data.source;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import calfkit.config.Settings;
import calfkit.data.SliceIndex;
import calfkit.data.phantom.AnnotationBias;
import calfkit.data.phantom.PhantomConfig;
import calfkit.data.phantom.PhantomGenerator;
import calfkit.io.AtomicFiles;

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
