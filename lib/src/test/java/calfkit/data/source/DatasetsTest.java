package calfkit.data.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import calfkit.config.Scale;
import calfkit.data.SliceIndex;
import calfkit.data.phantom.PhantomConfig;

/** The phantom cache is checked against the fingerprint its generator recorded, and rebuilt when it does not match. */
class DatasetsTest {

    private static final PhantomConfig SMALL = PhantomConfig.forScale(Scale.SMOKE).withPatients(4, 4);

    private static List<String> siblings(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir.getParent())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aCacheCutShortEditedOrWithoutItsIndexIsRebuiltAndNothingIsLeftBeside(@TempDir Path root) throws IOException {
        Path dir = root.resolve("phantom-smoke-v2");
        SliceIndex first = Datasets.cached(dir, SMALL);
        String fingerprint = first.fingerprint();
        assertEquals(fingerprint, Files.readString(dir.resolve(Datasets.FINGERPRINT_FILE)).trim());
        assertEquals(16, first.slices().size());

        // Half its index.csv: rebuilt whole (it trained on half the patients without a word before).
        Path index = dir.resolve(SliceIndex.FILE);
        List<String> lines = Files.readAllLines(index);
        Files.write(index, lines.subList(0, 9));
        assertTrue(Datasets.damage(dir).contains("not the " + fingerprint), Datasets.damage(dir));
        assertEquals(fingerprint, Datasets.cached(dir, SMALL).fingerprint());

        // No index.csv at all (every run failed on a rename and left a .partial- copy before).
        Files.delete(index);
        assertEquals("has no index.csv", Datasets.damage(dir));
        assertEquals(fingerprint, Datasets.cached(dir, SMALL).fingerprint());

        // A cache from before the record: regenerated once, with the record.
        Files.delete(dir.resolve(Datasets.FINGERPRINT_FILE));
        assertEquals(16, Datasets.cached(dir, SMALL).slices().size());
        assertEquals(null, Datasets.damage(dir));
        assertEquals(List.of("phantom-smoke-v2"), siblings(dir), "no .partial- or .damaged- folder is left beside the cache");
    }
}
