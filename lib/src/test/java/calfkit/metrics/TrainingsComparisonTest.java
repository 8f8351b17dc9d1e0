package calfkit.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import calfkit.testing.PythonReference;

/** The comparison across trainings against numpy and SciPy (lib/src/test/python/reference.py), and its words. */
@Tag("reference")
class TrainingsComparisonTest {

    @Test
    void theIntervalIsStudentTOverSeedsWithTheSlicesBootstrapInside() {
        Random r = new Random(3);
        List<PairedBootstrap.Counts> a = new ArrayList<>();
        List<PairedBootstrap.Counts> b = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            a.add(counts(r, 120, 0.85 + 0.03 * r.nextGaussian()));
            b.add(counts(r, 120, 0.80 + 0.03 * r.nextGaussian()));
        }
        TrainingsComparison.Result got = TrainingsComparison.pooledDsc(a, b, 5);
        JsonObject c = new JsonObject();
        c.addProperty("id", "t");
        c.add("a", json(a));
        c.add("b", json(b));
        JsonArray cases = new JsonArray();
        cases.add(c);
        JsonObject request = new JsonObject();
        request.add("trainings", cases);
        JsonObject want = PythonReference.run(request).getAsJsonObject("t");
        double[] perSeed = new Gson().fromJson(want.get("per_seed"), double[].class);
        assertArrayEquals(perSeed, got.perSeed(), 1e-12);
        assertEquals(want.get("mean").getAsDouble(), got.difference(), 1e-12);
        assertEquals(want.get("sd").getAsDouble(), got.seedSd(), 1e-12);
        // two Monte Carlo estimates of the slices' standard error (2000 and 20,000 resamples, other streams)
        assertEquals(want.get("se_slices").getAsDouble(), got.sliceSe(), 0.1 * want.get("se_slices").getAsDouble());
        double half = want.get("high").getAsDouble() - want.get("mean").getAsDouble();
        assertEquals(want.get("low").getAsDouble(), got.low(), 0.05 * half);
        assertEquals(want.get("high").getAsDouble(), got.high(), 0.05 * half);
        assertEquals(want.get("p").getAsDouble(), got.p(), 0.02);
        assertEquals(4, got.seeds());
    }

    @Test
    void fewerThanThreeTrainingsGiveNoVerdict() {
        Random r = new Random(5);
        PairedBootstrap.Counts good = counts(r, 200, 0.95);
        PairedBootstrap.Counts bad = counts(r, 200, 0.40);
        TrainingsComparison.Result two = TrainingsComparison.pooledDsc(List.of(good, good), List.of(bad, bad), 1);
        assertFalse(two.decidable());
        String words = TrainingsComparison.words(two, 0.0, "CALF", "BCE");
        assertTrue(words.startsWith("2 trainings a side: they differ by +0."), words);
        assertFalse(words.contains("better") || words.contains("worse") || words.contains("real"), words);
        TrainingsComparison.Result one = TrainingsComparison.pooledDsc(List.of(good), List.of(bad), 1);
        assertTrue(Double.isNaN(one.low()) && Double.isNaN(one.p()));
        assertTrue(TrainingsComparison.words(one, Double.NaN, "CALF", "BCE").startsWith("1 training a side: they differ by"));
    }

    @Test
    void threeTrainingsThatAgreeGiveAVerdictAndHolmCountsTheFamily() {
        Random r = new Random(9);
        List<PairedBootstrap.Counts> good = new ArrayList<>();
        List<PairedBootstrap.Counts> bad = new ArrayList<>();
        List<PairedBootstrap.Counts> same = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            PairedBootstrap.Counts g = counts(r, 300, 0.95);
            good.add(g);
            bad.add(counts(r, 300, 0.50 + 0.01 * s));
            same.add(g);
        }
        TrainingsComparison.Result big = TrainingsComparison.pooledDsc(good, bad, 1);
        TrainingsComparison.Result none = TrainingsComparison.pooledDsc(good, same, 1);
        List<String> v = TrainingsComparison.verdicts(List.of(big, none), "A", List.of("B", "C"));
        assertEquals("A better than B (3 trainings a side)", v.get(0));
        assertEquals("no difference resolved (3 trainings a side)", v.get(1));
        assertEquals(0, none.difference(), 0);
        assertEquals(1, none.p(), 0);
    }

    private static PairedBootstrap.Counts counts(Random r, int n, double hit) {
        long[] tp = new long[n];
        long[] fp = new long[n];
        long[] fn = new long[n];
        for (int i = 0; i < n; i++) {
            long area = r.nextInt(3) == 0 ? 0 : 5 + r.nextInt(60);
            long found = Math.round(area * Math.max(0, Math.min(1, hit + 0.1 * r.nextGaussian())));
            tp[i] = found;
            fn[i] = area - found;
            fp[i] = r.nextInt(4);
        }
        return new PairedBootstrap.Counts(tp, fp, fn);
    }

    private static JsonArray json(List<PairedBootstrap.Counts> runs) {
        JsonArray out = new JsonArray();
        Gson gson = new Gson();
        for (PairedBootstrap.Counts c : runs) {
            JsonObject o = new JsonObject();
            o.add("tp", gson.toJsonTree(c.tp()));
            o.add("fp", gson.toJsonTree(c.fp()));
            o.add("fn", gson.toJsonTree(c.fn()));
            out.add(o);
        }
        return out;
    }
}
