package calfkit.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

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
        assertTrue(text.contains("PyTorch 2.7.1"), text);
        assertTrue(text.contains("offline true"), "tests run with -Dai.djl.offline=true: " + text);
    }

    @Test
    void badArgumentsGiveUsageAndExitCode2() {
        assertEquals(2, run("info", "extra"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("takes no arguments"));
    }
}
