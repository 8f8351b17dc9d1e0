package calfkit.loss;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import calfkit.image.DistanceMaps;
import calfkit.image.EuclideanDistance;
import calfkit.testing.PythonReference;

/** The seeds' other adaptive losses: distance maps, A-FL's parameters and the losses' conventions. */
@Tag("reference")
class AdaptiveLossesTest {

    private static final Gson GSON = new Gson();
    private static NDManager m;

    @BeforeAll
    static void setUp() {
        m = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        m.close();
    }

    @Test
    void signedDistanceOfASquareByHand() {
        // 5×5 with a 3×3 square in the middle: outer ring 1 (√2 at the corners), square edge 0, centre −1.
        float[] mask = new float[25];
        for (int y = 1; y <= 3; y++) {
            for (int x = 1; x <= 3; x++) {
                mask[y * 5 + x] = 1;
            }
        }
        float[] phi = DistanceMaps.signed(mask, 5, 5);
        float r2 = (float) Math.sqrt(2);
        float[] expected = {
            r2, 1, 1, 1, r2,
            1, 0, 0, 0, 1,
            1, 0, -1, 0, 1,
            1, 0, 0, 0, 1,
            r2, 1, 1, 1, r2};
        assertArrayEquals(expected, phi, 1e-6f);
        byte[] bytes = new byte[25];
        for (int i = 0; i < 25; i++) {
            bytes[i] = (byte) mask[i];
        }
        assertArrayEquals(expected, DistanceMaps.signed(bytes, 5, 5), 1e-6f, "a PngReader mask gives the same map");
        assertArrayEquals(new float[25], DistanceMaps.signed(new float[25], 5, 5));
        float[] full = new float[25];
        java.util.Arrays.fill(full, 1f);
        assertArrayEquals(new float[25], DistanceMaps.signed(full, 5, 5));
    }

    private static float[] randomMask(Random r, int w, int h, double p) {
        float[] a = new float[w * h];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble() < p ? 1 : 0;
        }
        return a;
    }

    @Test
    void exactDistanceTransformEqualsBruteForce() {
        Random r = new Random(21);
        for (int t = 0; t < 30; t++) {
            int w = 1 + r.nextInt(23);
            int h = 1 + r.nextInt(17);
            boolean[] site = new boolean[w * h];
            for (int i = 0; i < site.length; i++) {
                site[i] = r.nextDouble() < 0.05 + 0.3 * r.nextDouble();
            }
            double[] fast = EuclideanDistance.distanceTo(site, w, h);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double best = Double.POSITIVE_INFINITY;
                    for (int j = 0; j < site.length; j++) {
                        if (site[j]) {
                            double dx = x - j % w;
                            double dy = y - j / w;
                            best = Math.min(best, Math.sqrt(dx * dx + dy * dy));
                        }
                    }
                    assertEquals(best, fast[y * w + x], 1e-9, "trial " + t + " pixel (" + x + ", " + y + ")");
                }
            }
        }
    }

    @Test
    void signedDistanceMatchesTheReferenceImplementation() {
        Random r = new Random(8);
        JsonArray cases = new JsonArray();
        float[][] masks = new float[8][];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = i == 0 ? new float[24 * 18] : randomMask(r, 24, 18, 0.1 + 0.1 * i);
            JsonObject c = new JsonObject();
            c.addProperty("id", "s" + i);
            c.addProperty("w", 24);
            c.addProperty("h", 18);
            c.add("mask", GSON.toJsonTree(masks[i]));
            cases.add(c);
        }
        JsonObject req = new JsonObject();
        req.add("sdf", cases);
        JsonObject ref = PythonReference.run(req);
        for (int i = 0; i < masks.length; i++) {
            float[] expected = GSON.fromJson(ref.getAsJsonObject("s" + i).get("phi"), float[].class);
            assertArrayEquals(expected, DistanceMaps.signed(masks[i], 24, 18), 1e-5f, "mask " + i);
        }
    }

    @Test
    void aflParametersMatchNumpyIn2dAnd3d() {
        Random r = new Random(3);
        JsonArray cases = new JsonArray();
        float[][] masks = {randomMask(r, 9, 7, 0.3), randomMask(r, 5 * 6 * 4, 1, 0.2), new float[20]};
        int[][] dims = {{7, 9}, {4, 6, 5}, {4, 5}};
        for (int i = 0; i < masks.length; i++) {
            JsonObject c = new JsonObject();
            c.addProperty("id", "a" + i);
            c.add("mask", GSON.toJsonTree(masks[i]));
            c.add("dims", GSON.toJsonTree(dims[i]));
            cases.add(c);
        }
        JsonObject req = new JsonObject();
        req.add("afl_params", cases);
        JsonObject ref = PythonReference.run(req);
        for (int i = 0; i < masks.length; i++) {
            AdaptiveFocalLoss.Parameters p = AdaptiveFocalLoss.Parameters.of(masks[i], dims[i]);
            JsonObject e = ref.getAsJsonObject("a" + i);
            assertEquals(e.get("alpha_va").getAsDouble(), p.alphaVa(), 1e-12);
            assertEquals(e.get("gamma_va").getAsDouble(), p.gammaVa(), 1e-12);
            assertEquals(e.get("gamma_msa").getAsDouble(), p.gammaMsa(), 1e-12, "mask " + i);
        }
    }

    @Test
    void aflParametersFollowVolumeAndSmoothness() {
        // A 4×4 square in a 10×10 mask: P_fg = 16, α_va = 0.84, γ_va = 0.16.
        float[] square = new float[100];
        for (int y = 3; y < 7; y++) {
            for (int x = 3; x < 7; x++) {
                square[y * 10 + x] = 1;
            }
        }
        AdaptiveFocalLoss.Parameters p = AdaptiveFocalLoss.Parameters.of(square, 10, 10);
        assertEquals(0.84, p.alphaVa(), 1e-12);
        assertEquals(0.16, p.gammaVa(), 1e-12);
        // The same 16 pixels as a 1×16 line in a 20×20 mask: a much longer outline than a 4×4 square there.
        float[] square20 = new float[400];
        float[] line20 = new float[400];
        for (int k = 0; k < 16; k++) {
            square20[(8 + k / 4) * 20 + 8 + k % 4] = 1;
            line20[10 * 20 + 2 + k] = 1;
        }
        AdaptiveFocalLoss.Parameters sq = AdaptiveFocalLoss.Parameters.of(square20, 20, 20);
        AdaptiveFocalLoss.Parameters ln = AdaptiveFocalLoss.Parameters.of(line20, 20, 20);
        assertEquals(sq.gammaVa(), ln.gammaVa(), 1e-12);
        // numpy-style central differences: 0.045 for the line (18 outline units / 400) against 0.037.
        assertEquals(0.045, ln.gammaMsa(), 1e-12);
        assertTrue(ln.gammaMsa() > sq.gammaMsa(), ln.gammaMsa() + " vs " + sq.gammaMsa());
        // A larger tumour in the same image: larger γ_va.
        assertTrue(p.gammaVa() > sq.gammaVa());
        // An empty mask: α_va = 1, γ = 0.
        AdaptiveFocalLoss.Parameters e = AdaptiveFocalLoss.Parameters.of(new float[100], 10, 10);
        assertArrayEquals(new double[] {1, 0}, new AdaptiveFocalLoss().alphaGamma(e), 0);
    }

    @Test
    void aflWithEverySwitchOffIsFocalLoss() {
        Random r = new Random(5);
        float[] x = new float[2 * 8 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextGaussian());
        }
        NDArray logits = m.create(x, new Shape(2, 1, 8, 8));
        NDArray y = m.create(randomMask(r, 8, 16, 0.2), new Shape(2, 1, 8, 8));
        assertEquals(new FocalLoss(0.25f, 2f).fromLogits(logits, y).getFloat(),
                new AdaptiveFocalLoss(false, false, false).fromLogits(logits, y).getFloat(), 1e-6);
    }

    @Test
    void boundaryScheduleMovesWeightToTheBoundaryTerm() {
        BoundaryLoss b = new BoundaryLoss();
        assertEquals(0.01, b.alpha(0), 1e-12);
        assertEquals(0.06, b.alpha(5), 1e-12);
        assertEquals(0.99, b.alpha(500), 1e-12);
        b.setEpoch(3);
        assertEquals(0.04, b.alpha(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new BoundaryLoss(new DiceLoss(), 0.5, 0.1, 0.2));
    }

    @Test
    void modifiedBoundaryRangeAndEmptyTarget() {
        float[] mask = new float[36];
        for (int y = 1; y < 5; y++) {
            for (int x = 1; x < 5; x++) {
                mask[y * 6 + x] = 1;
            }
        }
        NDArray y = m.create(mask, new Shape(1, 1, 6, 6));
        NDArray perfect = y.mul(200f).sub(100f);  // logits ±100: p = 1 inside, 0 outside
        float phiT = 0;
        float[] phi = DistanceMaps.signed(mask, 6, 6);
        for (int i = 0; i < 36; i++) {
            phiT += mask[i] * (1 - phi[i]);
        }
        // Perfect: −Σφ_t/ε with ε = 1; with ε = 0.001, a thousand times lower: −∞ as ε → 0.
        assertEquals(-phiT, new ModifiedBoundaryLoss().fromLogits(perfect, y).getFloat(), 1e-3);
        assertEquals(-phiT * 1000, new ModifiedBoundaryLoss(0.001f).fromLogits(perfect, y).getFloat(), 1);
        assertTrue(new ModifiedBoundaryLoss().fromLogits(m.zeros(new Shape(1, 1, 6, 6)), y).getFloat() <= 0);
        // An all-empty target: 0 whatever the prediction.
        NDArray empty = m.zeros(new Shape(1, 1, 6, 6));
        assertEquals(0, new ModifiedBoundaryLoss().fromLogits(perfect, empty).getFloat(), 0);
        // The distance maps may come as the second label: same value.
        NDArray phiArray = m.create(phi, new Shape(1, 1, 6, 6));
        assertEquals(new ModifiedBoundaryLoss().fromLogits(perfect, y).getFloat(),
                new ModifiedBoundaryLoss().evaluate(new NDList(y, phiArray), new NDList(perfect)).getFloat(), 1e-6);
    }
}
