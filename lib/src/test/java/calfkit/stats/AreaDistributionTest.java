package calfkit.stats;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.apache.commons.math3.stat.descriptive.moment.Kurtosis;
import org.apache.commons.math3.stat.descriptive.moment.Skewness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import calfkit.testing.PythonReference;

@Tag("reference")
class AreaDistributionTest {

    private static final long[] HAND = {0, 0, 0, 100, 400};

    @Test
    void populationMomentsByHand() {
        // μ = 100; deviations −100, −100, −100, 0, 300; m2 = 24000, m3 = 4.8e6, m4 = 1.68e9.
        AreaDistribution d = AreaDistribution.of(HAND, EmptyMasks.INCLUDE);
        assertEquals(5, d.n());
        assertEquals(3, d.nEmpty());
        assertEquals(100.0, d.mean(), 1e-12);
        assertEquals(Math.sqrt(24000), d.std(), 1e-9);
        assertEquals(4.8e6 / Math.pow(24000, 1.5), d.skewness(), 1e-12);     // 1.2910
        assertEquals(1.68e9 / (24000.0 * 24000.0) - 3, d.kurtosis(), 1e-12); // −0.0833
        assertEquals(1.2910, d.skewness(), 1e-4);
        assertEquals(-0.0833, d.kurtosis(), 1e-4);
    }

    @Test
    void theseAreNotCommonsMathsBiasCorrectedG1G2() {
        double[] x = {0, 0, 0, 100, 400};
        assertEquals(1.9245, new Skewness().evaluate(x), 1e-4);
        assertEquals(3.6667, new Kurtosis().evaluate(x), 1e-4);
        AreaDistribution d = AreaDistribution.of(HAND, EmptyMasks.INCLUDE);
        assertNotEquals(new Skewness().evaluate(x), d.skewness(), 0.5);
    }

    @Test
    void excludingEmptyMasksChangesTheDistribution() {
        // Areas 100 and 400 only: two points, symmetric: S = 0, K = −2.
        AreaDistribution d = AreaDistribution.of(HAND, EmptyMasks.EXCLUDE);
        assertEquals(2, d.n());
        assertEquals(3, d.nEmpty());
        assertEquals(5, d.nMasks());
        assertEquals(250.0, d.mean(), 1e-12);
        assertEquals(0.0, d.skewness(), 1e-12);
        assertEquals(-2.0, d.kurtosis(), 1e-12);
    }

    @Test
    void undefinedWhenFewerThanTwoOrAllEqual() {
        assertFalse(AreaDistribution.of(new long[] {42}, EmptyMasks.INCLUDE).isDefined());
        assertFalse(AreaDistribution.of(new long[] {7, 7, 7}, EmptyMasks.INCLUDE).isDefined());
        AreaDistribution none = AreaDistribution.of(new long[] {0, 0}, EmptyMasks.EXCLUDE);
        assertEquals(0, none.n());
        assertTrue(Double.isNaN(none.mean()));
        assertThrows(IllegalArgumentException.class, () -> AreaDistribution.of(new long[] {3, -1}, EmptyMasks.INCLUDE));
    }

    @Test
    void matchesScipyOnRandomAreaSets() {
        Random random = new Random(12345);
        JsonObject request = new JsonObject();
        JsonArray cases = new JsonArray();
        long[][] sets = new long[6][];
        for (int i = 0; i < sets.length; i++) {
            int n = 50 + random.nextInt(500);
            sets[i] = new long[n];
            for (int j = 0; j < n; j++) {
                // A mix of empty masks and log-normal tumour areas, like a slice dataset.
                sets[i][j] = random.nextDouble() < 0.4 ? 0 : Math.round(Math.exp(5 + 1.5 * random.nextGaussian()));
            }
            for (EmptyMasks e : EmptyMasks.values()) {
                JsonObject c = new JsonObject();
                c.addProperty("id", i + "-" + e);
                c.add("areas", new com.google.gson.Gson().toJsonTree(sets[i]));
                c.addProperty("empty", e == EmptyMasks.INCLUDE ? "include" : "exclude");
                cases.add(c);
            }
        }
        request.add("stats", cases);
        JsonObject ref = PythonReference.run(request);
        for (int i = 0; i < sets.length; i++) {
            for (EmptyMasks e : EmptyMasks.values()) {
                JsonObject r = ref.getAsJsonObject(i + "-" + e);
                AreaDistribution d = AreaDistribution.of(sets[i], e);
                assertEquals(r.get("n").getAsInt(), d.n());
                assertEquals(r.get("mean").getAsDouble(), d.mean(), 1e-9 * Math.abs(d.mean()));
                assertEquals(r.get("std").getAsDouble(), d.std(), 1e-9 * d.std());
                assertEquals(r.get("skewness").getAsDouble(), d.skewness(), 1e-9, "set " + i + " " + e);
                assertEquals(r.get("kurtosis").getAsDouble(), d.kurtosis(), 1e-9, "set " + i + " " + e);
            }
        }
    }
}
