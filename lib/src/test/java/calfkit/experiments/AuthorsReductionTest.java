package calfkit.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import calfkit.metrics.Evaluation;
import calfkit.metrics.ImageScores;
import calfkit.metrics.Reduction;
import calfkit.testing.PythonReference;

/**
 * The authors' test reduction against {@code scripts/solver.py}'s {@code validate} loop re-typed in Python
 * (lib/src/test/python/reference.py, {@code solver_validate}) on one fixed set of predictions: 70 slices of 12 × 10
 * in batches of 32, 32 and 6, a third of them tumour-free and some of those with false positives.
 */
@Tag("reference")
class AuthorsReductionTest {

    private static final int W = 12;
    private static final int H = 10;

    @Test
    void theAuthorsReductionIsSolverPysValidateLoop() {
        Random r = new Random(20261124);
        int n = 70;
        List<float[]> truth = new ArrayList<>();
        List<float[]> predicted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] t = new float[W * H];
            float[] p = new float[W * H];
            boolean tumour = i % 3 != 0;
            int cx = r.nextInt(W);
            int cy = r.nextInt(H);
            int rad = 1 + r.nextInt(3);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    boolean in = tumour && (x - cx) * (x - cx) + (y - cy) * (y - cy) <= rad * rad;
                    t[y * W + x] = in ? 1 : 0;
                    boolean hit = in ? r.nextDouble() < 0.8 : r.nextDouble() < (i % 5 == 0 ? 0.03 : 0.005);
                    p[y * W + x] = hit ? 1 : 0;
                }
            }
            truth.add(t);
            predicted.add(p);
        }
        Evaluation e = new Evaluation();
        JsonArray batches = new JsonArray();
        long[] inter = new long[n];
        long[] sizes = new long[n];
        int[] batch = new int[n];
        for (int start = 0; start < n; start += 32) {
            int end = Math.min(n, start + 32);
            List<String> ids = new ArrayList<>();
            List<ImageScores> scores = new ArrayList<>();
            JsonArray pred = new JsonArray();
            JsonArray target = new JsonArray();
            for (int i = start; i < end; i++) {
                float[] logits = new float[W * H];
                for (int k = 0; k < logits.length; k++) {
                    logits[k] = predicted.get(i)[k] > 0 ? 3 : -3;
                    pred.add(predicted.get(i)[k]);
                    target.add(truth.get(i)[k]);
                }
                ImageScores s = ImageScores.of(logits, truth.get(i), W, H, false);
                ids.add("s" + i);
                scores.add(s);
                inter[i] = s.tp();
                sizes[i] = 2 * s.tp() + s.fp() + s.fn();
                batch[i] = start / 32;
            }
            e.addBatch(ids, scores);
            JsonObject b = new JsonObject();
            b.add("pred", pred);
            b.add("target", target);
            batches.add(b);
        }
        JsonObject c = new JsonObject();
        c.addProperty("id", "solver");
        c.addProperty("h", H);
        c.addProperty("w", W);
        c.add("batches", batches);
        JsonArray cases = new JsonArray();
        cases.add(c);
        JsonObject request = new JsonObject();
        request.add("solver", cases);
        JsonObject expected = PythonReference.run(request).getAsJsonObject("solver");

        Map<String, Double> authors = e.metrics(Reduction.AUTHORS);
        for (String m : List.of("accuracy", "dsc", "specificity", "sensitivity", "precision", "mae")) {
            // solver.py's MAE is a float32 mean (torch): 1e-7; the ratios are of exact integer sums
            assertEquals(expected.get(m).getAsDouble(), authors.get(m), m.equals("mae") ? 1e-7 : 1e-12, m);
        }
        // Notebook 08's reduction from the saved per-slice counts gives the same per-batch DSC.
        assertEquals(expected.get("dsc").getAsDouble(), ProtocolStudy.perBatch(inter, sizes, batch), 1e-12);
    }
}
