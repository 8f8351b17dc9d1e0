package calfkit.data;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import calfkit.config.Settings;
import calfkit.data.phantom.PhantomConfig;
import calfkit.data.phantom.PhantomGenerator;

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
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".partial-");
        new PhantomGenerator(PhantomConfig.forScale(settings.scale())).generate(tmp, true);
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            // Another process generated it first (or the file system cannot rename atomically): use what is there.
            if (!Files.isRegularFile(dir.resolve(SliceIndex.FILE))) {
                Files.move(tmp, dir);
            }
        } catch (IOException e) {
            if (!Files.isRegularFile(dir.resolve(SliceIndex.FILE))) {
                throw e;
            }
        }
        return SliceIndex.read(dir);
    }
}
