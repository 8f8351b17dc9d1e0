package calfkit.stats;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Outer-contour areas by hand (what OpenCV's findContours + contourArea give for these shapes). */
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
    void holesCountAndObjectsAdd() {
        assertEquals(16, area("#####", "#...#", "#...#", "#...#", "#####")); // a ring encloses its hole
        assertEquals(2, area(".#.", "###", ".#."));                        // a plus: diamond of area 2
        assertEquals(1 + 4, area("##....", "##....", "...###", "...###", "...###")); // two objects
    }

    @Test
    void lShapeByShoelace() {
        // 8-connected border following cuts the inner corner diagonally, as OpenCV's does:
        // centres (0,0),(1,0),(2,1),(2,2),(0,2), shoelace area 7/2.
        assertEquals(3.5, area("##.", "###", "###"));
    }
}
