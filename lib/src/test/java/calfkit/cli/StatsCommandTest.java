package calfkit.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCommandTest {

    @TempDir
    Path dir;

    /** Five 20×20 masks with areas 0, 0, 0, 100, 400: S = 1.2910, K = −0.0833 (hand values, see AreaDistributionTest). */
    private void writeHandMasks() throws Exception {
        int[] areas = {0, 0, 0, 100, 400};
        for (int i = 0; i < areas.length; i++) {
            BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < areas[i]; p++) {
                img.getRaster().setSample(p % 20, p / 20, 0, 255);
            }
            ImageIO.write(img, "png", dir.resolve("m" + i + ".png").toFile());
        }
    }

    private String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Calf.standard().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void jsonReportsTheStatisticsAndBranch() throws Exception {
        writeHandMasks();
        String[] r = run("stats", dir.toString(), "--json");
        assertEquals("0", r[0], r[2]);
        JsonObject o = new Gson().fromJson(r[1], JsonObject.class);
        assertEquals(5, o.get("n").getAsInt());
        assertEquals(3, o.get("n_empty").getAsInt());
        assertEquals(100.0, o.get("mean").getAsDouble(), 1e-9);
        assertEquals(1.2910, o.get("skewness").getAsDouble(), 1e-4);
        assertEquals(-0.0833, o.get("kurtosis").getAsDouble(), 1e-4);
        assertEquals("Log10", o.get("branch").getAsString());
        assertEquals("S ≥ 1", o.get("rule").getAsString());
    }

    @Test
    void excludingEmptyMasksIsVisible() throws Exception {
        writeHandMasks();
        String[] r = run("stats", dir.toString(), "--exclude-empty");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("n          2 (empty masks excluded, area = pixel count)"), r[1]);
        assertTrue(r[1].contains("skewness   0.0000"), r[1]);
        assertTrue(r[1].contains("branch     BCE-Dice"), r[1]);
    }

    @Test
    void contourAreasAreTheAuthorsMeasure() throws Exception {
        writeHandMasks();
        // Rows filled from the top-left: 100 pixels = 5 full rows of 20 → contour 19 × 4 = 76;
        // 400 pixels = the whole 20×20 image → 19 × 19 = 361.
        String[] r = run("stats", dir.toString(), "--json", "--area", "contour");
        assertEquals("0", r[0], r[2]);
        JsonObject o = new Gson().fromJson(r[1], JsonObject.class);
        assertEquals("contour", o.get("area").getAsString());
        assertEquals((76 + 361) / 5.0, o.get("mean").getAsDouble(), 1e-9);
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve(".calf-contour-tree-areas.tsv")));
        assertEquals("2", run("stats", dir.toString(), "--area", "hull")[0]);
    }

    @Test
    void badMaskIsNamed() throws Exception {
        writeHandMasks();
        Path bad = dir.resolve("zz-broken.png");
        Files.writeString(bad, "not an image");
        String[] r = run("stats", dir.toString(), "--no-cache");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains(bad + ": not a PNG file"), r[2]);
    }
}
