package calfkit.experiments;

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
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import calfkit.config.Scale;
import calfkit.data.SliceIndex;
import calfkit.testing.TestPhantom;
import calfkit.train.Convergence;
import calfkit.train.RunFolder;
import calfkit.train.TrainConfig;
import calfkit.train.TrainingRun;

/** A run's summary is the same whether it comes from the run just trained or from its folder read back. */
@Tag("training")
class RunSummaryTest {

    @TempDir
    Path dir;

    @Test
    void aRunTrainedNowIsSummarisedAsItsFolderReadsBack() throws IOException {
        SliceIndex index = TestPhantom.generate(8, 8, dir.resolve("data"));
        TrainConfig c = TrainConfig.forScale(Scale.SMOKE, "unet", "calf").withEpochs(3).withBatch(4);
        Path run = dir.resolve("run");
        TrainingRun.Result result = TrainingRun.train(c, index, run, false,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        RunSummary now = RunSummary.trained(result);
        RunSummary back = RunSummary.readBack(new RunFolder(run));
        assertTrue(now.trainedNow());
        assertFalse(back.trainedNow());
        // Every field equal, the doubles exactly: the epochs as metrics.csv holds them, the test metrics as the JSON.
        assertEquals(back, new RunSummary(now.model(), now.loss(), now.seed(), now.test(), now.epochs(), now.convergence(),
                false));
        assertEquals(3, now.epochs().size());
        assertFalse(now.calfBranch().isEmpty(), "CALF names its branch");

        Table t = RunSummary.table("t", List.of(now, back));
        assertEquals(t.row(0).getDouble("dsc"), now.dsc());
        assertEquals("trained now", t.stringColumn("source").get(0));
        assertEquals("read from an earlier run", t.stringColumn("source").get(1));
        assertEquals(t.removeColumns("source").row(0).toString(), t.row(1).toString());
        assertEquals(Convergence.State.ofColumn(t.stringColumn("convergence").get(0)), now.convergence().state());
        // test-metrics.json edited by hand: refused, named.
        Files.writeString(run.resolve(RunFolder.TEST_METRICS), "{\"authors\": 3}");
        IOException e = assertThrows(IOException.class, () -> RunSummary.readBack(new RunFolder(run)));
        assertTrue(e.getMessage().contains(RunFolder.TEST_METRICS), e.getMessage());
    }
}
