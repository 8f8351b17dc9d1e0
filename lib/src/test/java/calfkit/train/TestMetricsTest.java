package calfkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import calfkit.metrics.Reduction;

/** test-metrics.json: written and read in one place, in the format the runs already on disk have. */
class TestMetricsTest {

    @TempDir
    Path dir;

    @Test
    void theFileHasOneMemberPerReductionAndReadsBackAsWritten() throws IOException {
        Map<Reduction, Map<String, Double>> m = new EnumMap<>(Reduction.class);
        for (Reduction r : Reduction.values()) {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("dsc", 0.8 + r.ordinal() / 100.0);
            values.put("hd95", r == Reduction.POOLED ? Double.NaN : 1.5);
            m.put(r, values);
        }
        RunFolder folder = new RunFolder(dir);
        new TestMetrics(m, 128, 3).write(folder);
        // Read with Gson alone, as a reader of the file would: the members the runs on disk have.
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve(RunFolder.TEST_METRICS))).getAsJsonObject();
        assertEquals(List.of("authors", "pooled", "per_image", "images", "hd95_undefined_images"), List.copyOf(json.keySet()));
        assertEquals(0.8 + 1 / 100.0, json.getAsJsonObject("pooled").get("dsc").getAsDouble(), 0);
        assertEquals(128, json.get("images").getAsInt());
        TestMetrics back = TestMetrics.read(folder);
        assertEquals(0.8 + 2 / 100.0, back.get(Reduction.PER_IMAGE, "dsc"), 0);
        assertTrue(Double.isNaN(back.get(Reduction.POOLED, "hd95")), "NaN kept");
        assertTrue(Double.isNaN(back.get(Reduction.AUTHORS, "iou")), "a metric the file lacks is NaN");
        assertEquals(3, back.hd95Undefined());
    }

    @Test
    void aFileCutShortIsNamedWithHowToWriteItAgain() throws IOException {
        Files.writeString(dir.resolve(RunFolder.TEST_METRICS), "{\"authors\": {\"dsc\": 0.9}, \"pooled\": {\"dsc\"");
        IOException e = assertThrows(IOException.class, () -> TestMetrics.read(new RunFolder(dir)));
        assertTrue(e.getMessage().contains(RunFolder.TEST_METRICS) && e.getMessage().contains("calf eval"), e.getMessage());
        Files.writeString(dir.resolve(RunFolder.TEST_METRICS), "{\"authors\": {\"dsc\": 0.9}}");
        e = assertThrows(IOException.class, () -> TestMetrics.read(new RunFolder(dir)));
        assertTrue(e.getMessage().contains("pooled"), e.getMessage());
    }
}
