package calfkit.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import calfkit.metrics.Evaluation;
import calfkit.metrics.Reduction;

/**
 * A finished run's test metrics, as {@code test-metrics.json} holds them: every metric under each {@link Reduction}
 * (members {@code authors}, {@code pooled}, {@code per_image}), the number of test images, and how many had no HD95.
 * Written once at the end of a run ({@link #write}, the file that marks the run finished) and read by whatever
 * reports on it ({@link #read}), one format in one place.
 *
 * @param metrics       by reduction, each metric by name; a metric undefined on the test set is NaN
 * @param images        test images
 * @param hd95Undefined test images whose HD95 is undefined
 */
public record TestMetrics(Map<Reduction, Map<String, Double>> metrics, int images, long hd95Undefined) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** The metrics of an evaluation of the test set. */
    public static TestMetrics of(Evaluation test) {
        Map<Reduction, Map<String, Double>> m = new EnumMap<>(Reduction.class);
        for (Reduction r : Reduction.values()) {
            m.put(r, test.metrics(r));
        }
        return new TestMetrics(m, test.images().size(), test.hd95Undefined());
    }

    /** One metric under one reduction; NaN when the file has none. */
    public double get(Reduction r, String metric) {
        Double v = metrics.getOrDefault(r, Map.of()).get(metric);
        return v == null ? Double.NaN : v;
    }

    /** Writes {@code test-metrics.json} into the run folder, atomically; it marks the run finished. */
    public void write(RunFolder folder) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        metrics.forEach((r, m) -> json.put(key(r), m));
        json.put("images", images);
        json.put("hd95_undefined_images", hd95Undefined);
        folder.write(RunFolder.TEST_METRICS, GSON.toJson(json));
    }

    /**
     * Reads a finished run's {@code test-metrics.json}.
     *
     * @throws IOException naming the file, with how to write it again, when it is missing, cut short or edited
     */
    public static TestMetrics read(RunFolder run) throws IOException {
        Path file = run.dir().resolve(RunFolder.TEST_METRICS);
        try {
            JsonObject json = new Gson().fromJson(Files.readString(file, StandardCharsets.UTF_8), JsonObject.class);
            Map<Reduction, Map<String, Double>> m = new EnumMap<>(Reduction.class);
            for (Reduction r : Reduction.values()) {
                JsonObject o = json.getAsJsonObject(key(r));
                if (o == null) {
                    throw new IllegalStateException("no '" + key(r) + "' member");
                }
                Map<String, Double> values = new LinkedHashMap<>();
                o.entrySet().forEach(e -> values.put(e.getKey(), number(e.getValue())));
                m.put(r, values);
            }
            return new TestMetrics(m, (int) number(json.get("images")), (long) number(json.get("hd95_undefined_images")));
        } catch (RuntimeException e) {
            throw new IOException(file + ": not the test results calf train writes (" + (e.getMessage() != null
                    ? e.getMessage() : e.getClass().getSimpleName()) + "); write them again with: calf eval --run "
                    + run.dir() + " --data DATASET --write", e);
        }
    }

    private static String key(Reduction r) {
        return r.name().toLowerCase(Locale.ROOT);
    }

    private static double number(JsonElement e) {
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }
}
