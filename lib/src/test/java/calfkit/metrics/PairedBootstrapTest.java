package calfkit.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("reference")
class PairedBootstrapTest {

    @Test
    void holmMatchesPublishedAdjustedValues() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, PairedBootstrap.holm(new double[] {0.01, 0.04, 0.03, 0.005}),
                1e-12);
        double[] withNaN = PairedBootstrap.holm(new double[] {0.2, Double.NaN, 0.01});
        assertEquals(0.2, withNaN[0], 1e-12);
        assertTrue(Double.isNaN(withNaN[1]));
        assertEquals(0.02, withNaN[2], 1e-12);
    }

    @Test
    void identicalModelsDifferByNothing() {
        PairedBootstrap.Counts a = new PairedBootstrap.Counts(new long[] {10, 0, 5}, new long[] {1, 2, 0}, new long[] {3, 0, 1});
        PairedBootstrap.Result r = PairedBootstrap.pooledDsc(List.of(a, a), List.of(a, a), 500, 1);
        assertEquals(0, r.difference(), 0);
        assertEquals(1, r.p(), 0);
    }

    @Test
    void aConsistentlyBetterModelIsResolvedAndTheEstimateIsThePooledDifference() {
        int n = 60;
        long[] tp = new long[n];
        long[] fpA = new long[n];
        long[] fnA = new long[n];
        long[] fpB = new long[n];
        long[] fnB = new long[n];
        long sumTp = 0;
        long errA = 0;
        long errB = 0;
        for (int i = 0; i < n; i++) {
            tp[i] = 20 + i % 7;
            fpA[i] = i % 3;
            fnA[i] = 1;
            fpB[i] = 4 + i % 5;
            fnB[i] = 3;
            sumTp += tp[i];
            errA += fpA[i] + fnA[i];
            errB += fpB[i] + fnB[i];
        }
        PairedBootstrap.Counts a = new PairedBootstrap.Counts(tp, fpA, fnA);
        PairedBootstrap.Counts b = new PairedBootstrap.Counts(tp, fpB, fnB);
        PairedBootstrap.Result r = PairedBootstrap.pooledDsc(List.of(a), List.of(b), 2000, 3);
        double expected = 2.0 * sumTp / (2 * sumTp + errA) - 2.0 * sumTp / (2 * sumTp + errB);
        assertEquals(expected, r.difference(), 1e-12);
        assertTrue(r.low() > 0 && r.high() > r.low(), r.toString());
        assertTrue(r.p() < 0.01, r.toString());
    }

    @Test
    void theUnpairedIntervalIsScipysPercentileBootstrap() {
        // Two different test sets (200 and 150 slices): each side resampled on its own; SciPy's
        // stats.bootstrap(paired=False, method="percentile") with 20,000 resamples in the reference helper.
        java.util.Random r = new java.util.Random(11);
        PairedBootstrap.Counts a = randomCounts(r, 200, 0.9);
        PairedBootstrap.Counts b = randomCounts(r, 150, 0.8);
        PairedBootstrap.Result u = PairedBootstrap.unpairedPooledDsc(List.of(a), List.of(b), 20000, 5);
        com.google.gson.JsonObject c = new com.google.gson.JsonObject();
        c.addProperty("id", "u");
        c.add("a", json(a));
        c.add("b", json(b));
        com.google.gson.JsonArray cases = new com.google.gson.JsonArray();
        cases.add(c);
        com.google.gson.JsonObject request = new com.google.gson.JsonObject();
        request.add("unpaired_bootstrap", cases);
        com.google.gson.JsonObject expected = calfkit.testing.PythonReference.run(request).getAsJsonObject("u");
        assertEquals(a.pooledDsc() - b.pooledDsc(), u.difference(), 1e-12);
        // two Monte Carlo estimates of the same percentiles (different random streams): within 0.004
        assertEquals(expected.get("low").getAsDouble(), u.low(), 0.004);
        assertEquals(expected.get("high").getAsDouble(), u.high(), 0.004);
        assertTrue(u.high() - u.low() > 0.02, u.toString());
    }

    private static PairedBootstrap.Counts randomCounts(java.util.Random r, int n, double hit) {
        long[] tp = new long[n];
        long[] fp = new long[n];
        long[] fn = new long[n];
        for (int i = 0; i < n; i++) {
            long area = i % 4 == 0 ? 0 : 5 + r.nextInt(60);
            tp[i] = Math.round(area * (hit - 0.1 + 0.2 * r.nextDouble()));
            fn[i] = area - tp[i];
            fp[i] = r.nextInt(i % 4 == 0 ? 4 : 12);
        }
        return new PairedBootstrap.Counts(tp, fp, fn);
    }

    private static com.google.gson.JsonObject json(PairedBootstrap.Counts c) {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.add("tp", new com.google.gson.Gson().toJsonTree(c.tp()));
        o.add("fp", new com.google.gson.Gson().toJsonTree(c.fp()));
        o.add("fn", new com.google.gson.Gson().toJsonTree(c.fn()));
        return o;
    }

    @Test
    void refusesUnpairedInput() {
        PairedBootstrap.Counts a = new PairedBootstrap.Counts(new long[] {1}, new long[] {0}, new long[] {0});
        PairedBootstrap.Counts b = new PairedBootstrap.Counts(new long[] {1, 2}, new long[] {0, 0}, new long[] {0, 0});
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.pooledDsc(List.of(a), List.of(b), 10, 1));
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.pooledDsc(List.of(a), List.of(a, a), 10, 1));
    }
}
