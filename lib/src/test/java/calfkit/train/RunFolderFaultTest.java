package calfkit.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import calfkit.config.Scale;
import calfkit.data.SliceIndex;
import calfkit.testing.TestPhantom;

/**
 * The faults a run folder must survive, each made by hand: what a kill leaves behind at each point of an epoch's
 * writes, a second trainer, a resume against other data, and a metrics file written by two trainers at once.
 */
@Tag("training")
class RunFolderFaultTest {

    @TempDir
    static Path dir;
    private static SliceIndex index;

    @BeforeAll
    static void data() throws IOException {
        index = TestPhantom.generate(8, 4, dir.resolve("data"));
    }

    private static TrainConfig config(int epochs) {
        return TrainConfig.forScale(Scale.SMOKE, "unet", "bce").withEpochs(epochs).withBatch(4);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static List<Integer> epochs(Path run) throws IOException {
        return new RunFolder(run).finishedEpochs().stream().map(EpochRow::epoch).toList();
    }

    @Test
    void aKilledCheckpointWriteOrUnrecordedEpochIsDiscardedOnResume() throws IOException {
        Path run = dir.resolve("killed-save");
        TrainingRun.train(config(2), index, run, false, quiet());
        // A kill during epoch 3's writes: a half-written file in .partial, a truncated checkpoint and best of the
        // unrecorded epoch 3 (what a non-atomic save would leave), metrics.csv still at epoch 2.
        Files.createDirectories(run.resolve("checkpoints/.partial"));
        Files.write(run.resolve("checkpoints/.partial/model-0003.params"), new byte[4440]);
        Files.write(run.resolve("checkpoints/model-0003.params"), new byte[204]);
        Files.write(run.resolve("best/model-0003.params"), new byte[0]);
        TrainingRun.Result r = TrainingRun.train(config(3), index, run, true, quiet());
        assertEquals(List.of(1, 2, 3), epochs(run));
        assertEquals(3, r.epochs().size());
        assertFalse(Files.exists(run.resolve("checkpoints/.partial")));
        assertTrue(Files.size(run.resolve("checkpoints/model-0003.params")) > 1000);
        // The best model loads (the damaged one of the unrecorded epoch was removed, not taken as the newest).
        Path best = new RunFolder(run).checkpoints().best();
        assertTrue(Files.size(best) > 1000, best + " is " + Files.size(best) + " bytes");
        assertNotNull(RunEvaluation.evaluateRun(new RunFolder(run), index));
    }

    @Test
    void aDamagedOrMissingRecordedCheckpointResumesFromTheLastParametersThatLoad() throws IOException {
        Path run = dir.resolve("damaged");
        TrainingRun.train(config(3), index, run, false, quiet());
        RunFolder folder = new RunFolder(run);
        Path ckpt = run.resolve("checkpoints/model-0003.params");
        byte[] good = Files.readAllBytes(ckpt);
        Files.write(ckpt, java.util.Arrays.copyOf(good, good.length / 2));
        int best = Checkpoints.epochOf(folder.checkpoints().best());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingRun.train(config(4), index, run, true, new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(List.of(1, 2, 3, 4), epochs(run));
        if (best < 3) {  // back to the best epoch: the rows after it are trained again and kept aside
            assertTrue(text.contains("WARNING: the checkpoint of epoch 3 cannot be used (" + ckpt)
                    && text.contains("resuming from epoch " + best + " (the best epoch's parameters)"), text);
        } else {         // epoch 3 was the best: its own copy in best/ resumes it, nothing trained again
            assertFalse(text.contains("WARNING"), text);
        }
        assertFalse(text.contains("(null)"), text);

        // Neither the last checkpoint nor the best parameters load: the run starts again, its first rows kept aside.
        Files.delete(run.resolve("checkpoints/model-0004.params"));
        Path bestFile = folder.checkpoints().best();
        Files.write(bestFile, new byte[100]);
        List<String> before = Files.readAllLines(run.resolve(RunFolder.METRICS));
        log.reset();
        TrainingRun.train(config(5), index, run, true, new PrintStream(log, true, StandardCharsets.UTF_8));
        text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("WARNING: the checkpoint of epoch 4 cannot be used (" + run.resolve("checkpoints/model-0004.params")
                + ": missing") && text.contains("resuming from the start: epochs 1–4 train again"), text);
        assertEquals(List.of(1, 2, 3, 4, 5), epochs(run));
        List<Path> aside;
        try (var files = Files.list(run)) {
            aside = files.filter(f -> f.getFileName().toString().startsWith("metrics.dropped-")).sorted().toList();
        }
        assertEquals(before, Files.readAllLines(aside.get(aside.size() - 1)), "the dropped rows, header included, as they were");
        assertNotNull(RunEvaluation.evaluateRun(folder, index));
    }

    @Test
    void aSecondTrainerOnTheSameFolderIsRefusedAtOnce() throws IOException {
        Path run = dir.resolve("locked");
        TrainingRun.train(config(1), index, run, false, quiet());
        RunFolder folder = new RunFolder(run);
        assertFalse(folder.locked());
        try (RunLock held = folder.lock()) {
            assertTrue(folder.locked());
            IOException e = assertThrows(IOException.class, () -> TrainingRun.train(config(2), index, run, true, quiet()));
            assertTrue(e.getMessage().contains("another process is training in this run folder")
                    && e.getMessage().contains(Long.toString(ProcessHandle.current().pid())), e.getMessage());
        }
        assertFalse(folder.locked());
        TrainingRun.train(config(2), index, run, true, quiet());
        assertEquals(List.of(1, 2), epochs(run));
    }

    @Test
    void rowsOutOfSequenceAreAnErrorNamingTheLine() throws IOException {
        Path run = dir.resolve("doubled");
        TrainingRun.train(config(2), index, run, false, quiet());
        Path metrics = run.resolve(RunFolder.METRICS);
        List<String> lines = Files.readAllLines(metrics);
        // Two trainers appending at once: 1 1 2 2.
        Files.write(metrics, List.of(lines.get(0), lines.get(1), lines.get(1), lines.get(2), lines.get(2)));
        IOException e = assertThrows(IOException.class, () -> TrainingRun.train(config(3), index, run, true, quiet()));
        assertTrue(e.getMessage().contains("metrics.csv, line 3: epoch 1 where epoch 2 was expected"), e.getMessage());
    }

    @Test
    void configurationsThatWouldTrainNothingAreRefusedAndTheFolderCanBeReused() throws IOException {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "mine");
        IOException f = assertThrows(IOException.class, () -> TrainingRun.train(config(1), index, file, false, quiet()));
        assertEquals(file + ": is a file, not a folder; --out expects a run folder (new, or a run to resume)",
                f.getMessage());
        assertEquals("mine", Files.readString(file));
        SliceIndex healthy = TestPhantom.generate(TestPhantom.config(8, 4).withTumourFraction(0),
                dir.resolve("healthy"));
        Path run = dir.resolve("nothing-to-train");
        TrainConfig allTumour = config(1).toBuilder().ratio(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.train(allTumour, healthy, run, false, quiet()));
        assertTrue(e.getMessage().startsWith("the training sample is empty: at tumour ratio 1.0 the training split's 0 "
                + "tumour and "), e.getMessage());
        // The refused run finished no epoch: the folder is free for the next try, with or without --resume.
        TrainingRun.train(config(1), index, run, true, quiet());
        assertEquals(List.of(1), epochs(run));
    }

    @Test
    void tooFewPatientsToSetSomeAsideIsSaidInPlainWords() throws IOException {
        SliceIndex three = TestPhantom.generate(3, 4, dir.resolve("three"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingRun.train(config(1), three, dir.resolve("three-run"), false,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("WARNING: only ") && text.contains("the validation set is the test set"), text);
    }

    @Test
    void aRunFolderThatVanishesIsNotRecreated() throws IOException {
        Path run = dir.resolve("vanishing");
        TrainingRun.train(config(1), index, run, false, quiet());
        RunFolder folder = new RunFolder(run);
        EpochRow row = folder.finishedEpochs().get(0);
        Files.move(run, dir.resolve("moved-away"));
        IOException e = assertThrows(IOException.class, () -> folder.appendMetrics(row));
        assertTrue(e.getMessage().startsWith(run + ": gone (deleted, moved or unmounted while the run trained)"),
                e.getMessage());
        assertFalse(Files.exists(run));
    }

    @Test
    void resumeAgainstAnotherDatasetIsRefused() throws IOException {
        Path run = dir.resolve("other-data");
        TrainingRun.train(config(1), index, run, false, quiet());
        SliceIndex other = TestPhantom.generate(TestPhantom.config(8, 4).withSeed(7), dir.resolve("other"));
        IOException e = assertThrows(IOException.class, () -> TrainingRun.train(config(2), other, run, true, quiet()));
        assertTrue(e.getMessage().contains("this run trained on " + dir.resolve("data").toAbsolutePath() + " (index "
                + index.fingerprint() + ", "), e.getMessage());
        assertEquals(index.fingerprint(), new RunFolder(run).dataset().orElseThrow().index());
        // With its own dataset it resumes.
        TrainingRun.train(config(2), index, run, true, quiet());
        assertEquals(List.of(1, 2), epochs(run));
    }
}
