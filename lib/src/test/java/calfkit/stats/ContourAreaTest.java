package calfkit.stats;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import calfkit.testing.PythonReference;

/**
 * Contour areas: simple shapes by hand, and random masks with holes, nested objects and speckle against OpenCV's
 * findContours(RETR_TREE, CHAIN_APPROX_SIMPLE) + contourArea (Debian's python3-opencv, in the reference helper).
 */
@Tag("reference")
class ContourAreaTest {

    private static byte[] mask(String... rows) {
        int w = rows[0].length();
        byte[] m = new byte[w * rows.length];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = (byte) (rows[y].charAt(x) == '#' ? 1 : 0);
            }
        }
        return m;
    }

    private static double area(String... rows) {
        return ContourArea.of(mask(rows), rows[0].length(), rows.length);
    }

    @Test
    void singlePixelsAndLinesEncloseNothing() {
        assertEquals(0, area(".....", "..#..", "....."));
        assertEquals(0, area(".....", ".###.", "....."));
        assertEquals(0, area("#....", ".#...", "..#.."));
    }

    @Test
    void squaresEncloseTheirCentresPolygon() {
        assertEquals(1, area("....", ".##.", ".##.", "...."));        // 2×2 → 1
        assertEquals(4, area(".....", ".###.", ".###.", ".###.", "....."));  // 3×3 → 4
        assertEquals(16, area("#####", "#####", "#####", "#####", "#####")); // 5×5 touching the border → 16
    }

    @Test
    void objectsAdd() {
        assertEquals(2, area(".#.", "###", ".#."));                        // a plus: diamond of area 2
        assertEquals(1 + 4, area("##....", "##....", "...###", "...###", "...###")); // two objects
    }

    @Test
    void holesAreAddedNotSubtracted() {
        // RETR_TREE: the ring's outer contour (4 × 4 = 16) and its hole's contour, which OpenCV follows through
        // the same pixel centres but cuts the four corners (16 − 4 · 1/2 = 14).
        assertEquals(16 + 14, area("#####", "#...#", "#...#", "#...#", "#####"));
    }

    /** 60 random masks (24 × 20): blobs with holes punched in them, objects inside holes, speckle, edges touched. */
    @Test
    void randomMasksMatchOpenCv() {
        Random random = new Random(11);
        int w = 24;
        int h = 20;
        JsonArray cases = new JsonArray();
        byte[][] masks = new byte[60][];
        for (int k = 0; k < masks.length; k++) {
            byte[] m = new byte[w * h];
            for (int blob = 0; blob < 1 + random.nextInt(3); blob++) {
                paint(m, w, h, random, 1, 3 + random.nextInt(8));
                paint(m, w, h, random, 0, 1 + random.nextInt(4));   // a hole, or a bite
                if (random.nextBoolean()) {
                    paint(m, w, h, random, 1, 1 + random.nextInt(2)); // an island, perhaps inside a hole
                }
            }
            for (int i = 0; i < w * h; i++) {
                if (random.nextDouble() < 0.04) {
                    m[i] = (byte) (1 - m[i]);                           // speckle: pixels and pin-holes
                }
            }
            masks[k] = m;
            JsonObject c = new JsonObject();
            c.addProperty("id", "mask " + k);
            c.add("mask", new Gson().toJsonTree(toInts(m)));
            c.addProperty("w", w);
            c.addProperty("h", h);
            cases.add(c);
        }
        JsonObject request = new JsonObject();
        request.add("contours", cases);
        JsonObject reference = PythonReference.run(request);
        for (int k = 0; k < masks.length; k++) {
            double expected = reference.getAsJsonObject("mask " + k).get("area").getAsDouble();
            assertEquals(expected, ContourArea.of(masks[k], w, h), 1e-9, "mask " + k);
        }
    }

    private static void paint(byte[] m, int w, int h, Random random, int value, int radius) {
        int cx = random.nextInt(w);
        int cy = random.nextInt(h);
        boolean square = random.nextBoolean();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int dx = x - cx;
                int dy = y - cy;
                if (square ? Math.max(Math.abs(dx), Math.abs(dy)) <= radius : dx * dx + dy * dy <= radius * radius) {
                    m[y * w + x] = (byte) value;
                }
            }
        }
    }

    private static int[] toInts(byte[] m) {
        int[] out = new int[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i];
        }
        return out;
    }

    @Test
    void lShapeByShoelace() {
        // 8-connected border following cuts the inner corner diagonally, as OpenCV's does:
        // centres (0,0),(1,0),(2,1),(2,2),(0,2), shoelace area 7/2.
        assertEquals(3.5, area("##.", "###", "###"));
    }
}
