package calfkit.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import calfkit.config.Scale;
import calfkit.data.SliceIndex;
import calfkit.loss.BceLoss;
import calfkit.loss.SegmentationLoss;
import calfkit.metrics.Evaluation;
import calfkit.testing.TestPhantom;

@Tag("training")
class TrainingRunTest {

    @TempDir
    static Path dir;
    private static SliceIndex index;

    @BeforeAll
    static void data() throws IOException {
        index = TestPhantom.generate(8, 8, dir.resolve("data"));
    }

    private static TrainConfig config(String model, String loss, int epochs) {
        return TrainConfig.forScale(Scale.SMOKE, model, loss).withEpochs(epochs).withBatch(4);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void trainsCheckpointsAndResumesWithoutLosingFinishedEpochs() throws IOException {
        Path run = dir.resolve("run-resume");
        TrainingRun.Result first = TrainingRun.train(config("unet", "calf", 1), index, run, false, quiet());
        assertEquals(1, first.epochs().size());
        assertNotNull(first.decision());
        List<String> before = Files.readAllLines(run.resolve(RunFolder.METRICS));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/model-0001.params")));
        assertTrue(Files.isRegularFile(run.resolve("best/model-0001.params")));
        assertTrue(Files.isRegularFile(run.resolve("test-metrics.json")));
        // Interrupted after epoch 1: resume to 2 epochs keeps epoch 1's row as it was.
        TrainingRun.Result second = TrainingRun.train(config("unet", "calf", 2), index, run, true, quiet());
        List<String> after = Files.readAllLines(run.resolve(RunFolder.METRICS));
        assertEquals(3, after.size());
        assertEquals(before, after.subList(0, 2));
        assertTrue(after.get(2).startsWith("2,"));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/model-0002.params")));
        assertFalse(Files.exists(run.resolve("checkpoints/model-0001.params")));
        assertEquals(2, second.epochs().size());
        // The same seed gives the same data, so evaluating the run again reproduces its test set.
        Evaluation again = RunEvaluation.evaluateRun(new RunFolder(run), index);
        assertEquals(second.test().images().size(), again.images().size());
        // Same best parameters: equal up to pixels whose logit sits at the threshold (float rounding of an
        // almost untrained model); the last epoch's parameters instead would differ by far more.
        var expected = second.test().metrics(calfkit.metrics.Reduction.POOLED);
        var got = again.metrics(calfkit.metrics.Reduction.POOLED);
        for (String k : List.of("accuracy", "dsc", "specificity")) {
            assertEquals(expected.get(k), got.get(k), 0.01, k);
        }
    }

    @Test
    void theAuthorsProtocolSplitsBySliceAndTestsTheLastEpoch() throws IOException {
        Path run = dir.resolve("run-authors");
        TrainConfig c = TrainConfig.forScale(Scale.SMOKE, calfkit.config.Protocol.AUTHORS, "unet", "calf").withEpochs(2)
                .withBatch(4);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingRun.Result r = TrainingRun.train(c, index, run, false, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(c, new RunFolder(run).config());
        assertEquals(Recipe.AUTHORS, c.effectiveRecipe());
        // The authors' split: every slice on exactly one side, each patient on both.
        var split = r.split();
        assertEquals(index.slices().size(), split.train().size() + split.test().size());
        assertTrue(java.util.Collections.disjoint(split.train(), split.test()));
        assertFalse(java.util.Collections.disjoint(split.trainPatients(), split.testPatients()));
        assertEquals(split.test(), c.data(index).split().test(), "the same split for the same data seed");
        // The last epoch is the one tested, whatever its validation DSC.
        assertTrue(Files.isRegularFile(run.resolve("best/model-0002.params")), "the last epoch's parameters are tested");
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("protocol authors, recipe authors"), text);
        assertTrue(text.contains("10 % of every patient's slices for test, the rest trained on"), text);
        assertTrue(text.contains("starts from PyTorch's layer defaults"), text);
        assertEquals(split.testPatients(), split.trainPatients(), "every patient on both sides");
        assertTrue(text.contains("test (the last epoch)"), text);
        assertTrue(r.split().test().size() > 0 && Files.isRegularFile(run.resolve("test-metrics.json")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.toBuilder().scope(calfkit.stats.BranchScope.DATASET).build());
        assertTrue(e.getMessage().contains("scope per-batch"), e.getMessage());
    }

    @Test
    void oneProtocolChoiceAtATimeTheSplitAndTheLossConventions() throws IOException {
        Path run = dir.resolve("run-one-choice");
        // The kit's protocol with the slices split by slice and the authors' Dice; ratio 0: every batch is
        // tumour-free, so the authors' per-image Dice is 1 with zero gradient from the first step (DJL's trainer
        // refuses such a step; the kit skips it, the update being zero anyway).
        TrainConfig c = TrainConfig.forScale(Scale.SMOKE, "unet", "dice-authors").toBuilder()
                .split(calfkit.data.RunData.SplitUnit.SLICE).ratio(0).epochs(1).batch(4).build();
        assertEquals(calfkit.config.Protocol.KIT, c.protocol());
        assertEquals(calfkit.data.RunData.SplitUnit.SLICE, c.splitUnit());
        assertTrue(c.toJson().contains("\"split\": \"SLICE\""), c.toJson());
        assertFalse(TrainConfig.forScale(Scale.SMOKE, "unet", "bce").toJson().contains("split"),
                "the protocol's split is not written: configs saved before the switch stay equal");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingRun.Result r = TrainingRun.train(c, index, run, false, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(c, new RunFolder(run).config());
        assertFalse(java.util.Collections.disjoint(r.split().trainPatients(), r.split().testPatients()));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("protocol kit") && text.contains("split by slice"), text);
        assertTrue(text.contains("test (the best epoch by validation DSC)"), text);
        assertEquals(1.0, new RunFolder(run).finishedEpochs().get(0).trainLoss(), 1e-4, "loss 1 on tumour-free slices");
        // The authors' CALF under the kit's protocol chooses its branch per batch, as theirs.
        assertEquals(calfkit.stats.BranchScope.PER_BATCH, TrainConfig.forScale(Scale.QUICK, "fpn", "calf-authors").scope());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.forScale(Scale.QUICK,
                "fpn", "calf-authors").toBuilder().scope(calfkit.stats.BranchScope.DATASET).build());
        assertTrue(e.getMessage().contains("loss calf-authors"), e.getMessage());
    }

    @Test
    void testMetricsComeFromTheSavedBestParameters() throws IOException {
        Path run = dir.resolve("run-best");
        TrainingRun.Result r = TrainingRun.train(config("unet", "bce", 2), index, run, false, quiet());
        // An independent forward path (Predictions: the block alone, batch 1) on the same test slices.
        List<calfkit.data.Slice> test = r.split().test();
        var predictions = calfkit.experiments.Predictions.of(new RunFolder(run), index, test);
        long tp = 0;
        long fp = 0;
        for (var p : predictions) {
            tp += p.scores().tp();
            fp += p.scores().fp();
        }
        long runTp = r.test().images().stream().mapToLong(calfkit.metrics.ImageScores::tp).sum();
        long runFp = r.test().images().stream().mapToLong(calfkit.metrics.ImageScores::fp).sum();
        long pixels = (long) test.size() * 32 * 32;
        assertEquals(runTp, tp, pixels * 0.001);
        assertEquals(runFp, fp, pixels * 0.001);
    }

    @Test
    void savedParametersAreWhatAModelLoads() throws IOException {
        Path run = dir.resolve("run-load");
        TrainConfig c = config("fpn", "bce", 1);
        TrainingRun.train(c, index, run, false, quiet());
        ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(1, 1, 32, 32);
        try (ai.djl.Model fresh = ModelLoader.newModel(c, ai.djl.Device.cpu(), shape, null, run);
             ai.djl.Model loaded = ModelLoader.newModel(c, ai.djl.Device.cpu(), shape, run.resolve("checkpoints"), run);
             ai.djl.Model again = ModelLoader.newModel(c, ai.djl.Device.cpu(), shape, run.resolve("checkpoints"), run)) {
            float f = fresh.getBlock().getParameters().get(0).getValue().getArray().sum().getFloat();
            float l = loaded.getBlock().getParameters().get(0).getValue().getArray().sum().getFloat();
            float a = again.getBlock().getParameters().get(0).getValue().getArray().sum().getFloat();
            assertEquals(l, a, 0f);
            assertNotEquals(f, l);
        }
    }

    @Test
    void aNewRunNeverWritesIntoAnOldOne() throws IOException {
        Path run = dir.resolve("run-existing");
        TrainingRun.train(config("unet", "bce", 1), index, run, false, quiet());
        IOException e = assertThrows(IOException.class,
                () -> TrainingRun.train(config("unet", "bce", 1), index, run, false, quiet()));
        assertTrue(e.getMessage().contains("exists and is not empty (it holds a run: use --resume to continue it)"),
                e.getMessage());
        IOException other = assertThrows(IOException.class,
                () -> TrainingRun.train(config("fpn", "bce", 2), index, run, true, quiet()));
        assertTrue(other.getMessage().contains("holds a run with a different configuration"), other.getMessage());
    }

    @Test
    void aCheckpointOfAnotherArchitectureIsRefused() throws IOException {
        Path run = dir.resolve("run-arch");
        TrainingRun.train(config("unet", "bce", 1), index, run, false, quiet());
        // Pretend the folder's config names an FPN: its U-Net parameters do not fit.
        Files.writeString(run.resolve(RunFolder.CONFIG), config("fpn", "bce", 1).toJson());
        IOException e = assertThrows(IOException.class, () -> RunEvaluation.evaluateRun(new RunFolder(run), index));
        assertTrue(e.getMessage().contains("the checkpoint does not fit a FPN (quick)"), e.getMessage());
    }

    @Test
    void aNonFiniteLossStopsTrainingAndNamesTheBatch() {
        Path run = dir.resolve("run-nan");
        SegmentationLoss nan = new SegmentationLoss("NaN") {
            @Override
            public NDArray fromProbabilities(NDArray p, NDArray target) {
                return new BceLoss().fromProbabilities(p, target).mul(Float.NaN);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TrainingRun.train(config("unet", "bce", 1), index, run, false, quiet(), nan));
        assertTrue(e.getMessage().startsWith("loss is NaN at epoch 1, batch 3: 3 batches in a row with a non-finite "
                + "loss (each skipped without an update)"), e.getMessage());
        String listed = assertDoesNotThrow(() -> Files.readString(run.resolve("nan-batch.txt")));
        assertTrue(listed.contains("/images/") && listed.contains("/masks/"), listed);
    }
}
