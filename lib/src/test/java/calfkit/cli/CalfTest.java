package calfkit.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import calfkit.testing.TestPhantom;

class CalfTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Calf.standard().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("  info "));
    }

    @Test
    void unknownCommandListsTheValidOnes() {
        assertEquals(2, run("trian"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("calf: unknown command 'trian'; expected one of info"));
    }

    @Test
    void infoReportsTheOfflineCpuEngine() {
        assertEquals(0, run("info"));
        String text = out.toString(StandardCharsets.UTF_8);
        // The build's PyTorch (pom.xml's pytorch.version: 2.7.1, or 2.5.1 under the gpu profile), passed by surefire.
        String pytorch = System.getProperty("calf.test.pytorchVersion", "2.7.1");
        assertTrue(text.contains("PyTorch " + pytorch), "expected PyTorch " + pytorch + ": " + text);
        assertTrue(text.contains("offline true"), "tests run with -Dai.djl.offline=true: " + text);
    }

    @Test
    void badArgumentsGiveUsageAndExitCode2() {
        assertEquals(2, run("info", "extra"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("takes no arguments"));
    }

    /** The silent cases of issue 13: each is now refused in plain words, and nothing is written. */
    @Test
    void trainRefusesWhatWouldTrainNothingOrSomethingElse(@TempDir Path dir) throws IOException {
        TestPhantom.generate(8, 4, dir.resolve("data"));
        String data = dir.resolve("data").toString();
        String runDir = dir.resolve("run").toString();
        assertEquals(2, run("train", "--data", data, "--model", "unet", "--loss", "bce", "--out", runDir, "--ratio", "NaN"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--ratio expects a tumour-slice fraction in [0, 1], "
                + "got 'NaN'"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("train", "--data", data, "--model", "unet", "--loss", "bce", "--out", runDir, "stray"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unexpected argument(s) [stray]"));
        assertEquals(1, run("train", "--data", data, "--model", "unet", "--loss", "bce", "--out", runDir, "--batch",
                "100000"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("fewer than one batch of 100000: nothing would be "
                + "trained; lower --batch"), err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("run/best/model-0001.params")));
        assertEquals(1, run("eval", "--run", dir.resolve("nothing").toString(), "--data", data));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(dir.resolve("nothing") + ": no config.json"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(0, run("index", data, "--verify"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("0 of 32 slices disagree"), out.toString(StandardCharsets.UTF_8));
    }
}
