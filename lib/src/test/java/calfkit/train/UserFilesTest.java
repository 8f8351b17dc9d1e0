package calfkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import calfkit.config.Scale;
import calfkit.data.SliceIndex;
import calfkit.testing.TestPhantom;

/** What a refused or odd request leaves of the user's files, and the one range each setting has (issue 30). */
class UserFilesTest {

    @TempDir
    static Path dir;
    private static SliceIndex index;

    @BeforeAll
    static void data() throws IOException {
        index = TestPhantom.generate(6, 4, dir.resolve("data"));
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void aFolderHoldingTheUsersOwnConfigAndLogIsRefusedAndLeftAsItWas() throws IOException {
        Path mine = Files.createDirectories(dir.resolve("my-notes"));
        Files.writeString(mine.resolve("config.json"), "{\"my\": \"settings\"}");
        Files.writeString(mine.resolve("train.log"), "my training diary\n");
        TrainConfig c = TrainConfig.forScale(Scale.SMOKE, "unet", "bce").withBatch(4);
        IOException e = assertThrows(IOException.class, () -> TrainingRun.train(c, index, mine, false, quiet()));
        assertTrue(e.getMessage().contains("not a run's"), e.getMessage());
        assertEquals("{\"my\": \"settings\"}", Files.readString(mine.resolve("config.json")));
        assertEquals("my training diary\n", Files.readString(mine.resolve("train.log")));
        assertFalse(Files.exists(mine.resolve(RunLock.FILE)), "a refused --out leaves no lock file behind");
        try (var s = Files.list(mine)) {
            assertEquals(2, s.count());
        }
    }

    @Test
    void resumingWithOtherSettingsNamesTheFieldsThatDiffer() {
        TrainConfig saved = TrainConfig.forScale(Scale.QUICK, "unet", "bce");
        TrainConfig asked = saved.toBuilder().learningRate(3e-3).build();
        assertEquals(java.util.List.of("learningRate (saved 0.006, asked 0.003)"), saved.differencesFrom(asked));
        assertTrue(saved.differencesFrom(saved.withEpochs(40)).isEmpty(), "epochs may change on resume");
    }

    @Test
    void everySettingHasOneRangeCheckedWhereItEnters() {
        TrainConfigBuilder b = TrainConfig.forScale(Scale.QUICK, "unet", "bce").toBuilder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.epochs(1_000_000_000).build()).getMessage()
                .contains("epochs must be in [1, 10000], got 1000000000"));
        b.epochs(16);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.seed(5_000_000_000L).build()).getMessage()
                .contains("seed must be in"));
        b.seed(1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.learningRate(Double.POSITIVE_INFINITY).build())
                .getMessage().contains("finite number > 0, got Infinity"));
        IllegalArgumentException steps = assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.forRun(1e-3, 1_000_000, 10_000, 0));
        assertTrue(steps.getMessage().contains("more than the 2147483647 steps"), steps.getMessage());
    }

    @Test
    void aDatasetIndexIsReadableByWhoeverMayReadANewFileOfThisUser() throws IOException {
        Path probe = Files.createFile(dir.resolve("probe"));
        Set<PosixFilePermission> usual = Files.getPosixFilePermissions(probe);
        index.write();
        assertEquals(usual, Files.getPosixFilePermissions(index.root().resolve("index.csv")),
                "index.csv gets the umask's permissions, not createTempFile's owner-only 0600");
    }
}
