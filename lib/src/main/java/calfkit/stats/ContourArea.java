package calfkit.stats;

/**
 * Foreground area as the CALF authors' released code measures it
 * ({@code scripts/conditionally_adaptive_loss_pytorch.py}, {@code calculate_areas}): OpenCV's
 * {@code findContours(mask, RETR_TREE, CHAIN_APPROX_SIMPLE)}, then the sum of {@code contourArea} over every
 * contour found. {@code RETR_TREE} returns the outer border of each object <em>and</em> the border of each of
 * its holes, at every nesting level, and the code adds all their areas: a hole is counted twice (inside its
 * object's outer contour and again as its own contour), not subtracted.
 *
 * <p>Borders are found as OpenCV finds them, by Suzuki and Abe's border following (1985): a raster scan
 * starts an outer border at a foreground pixel whose west neighbour is background, and a hole border at a
 * foreground pixel not yet marked as some border's east end whose east neighbour is background; each border is
 * followed through the centres of its 8-connected foreground pixels. The mask is padded with one background
 * pixel on every side, as {@code cv::findContours} does, so objects touching the image's edge are closed there.
 * A contour's area is its polygon's shoelace area (what {@code contourArea} computes; the points that
 * {@code CHAIN_APPROX_SIMPLE} drops lie on straight runs and do not change it).
 *
 * <p>Differences from the pixel count (the kit's default, {@link AreaMeasure#PIXELS}): a single pixel, or a
 * one-pixel-wide line, encloses area 0; an n×n square encloses (n − 1)²; a ring adds its outer polygon and its
 * hole's polygon. Tested against OpenCV on random masks with holes ({@code ContourAreaTest}).
 */
public final class ContourArea {

    /** The 8 neighbours, counter-clockwise on the screen (y down) from east: E, NE, N, NW, W, SW, S, SE. */
    private static final int[] DX = {1, 1, 0, -1, -1, -1, 0, 1};
    private static final int[] DY = {0, -1, -1, -1, 0, 1, 1, 1};
    private static final int EAST = 0;
    private static final int WEST = 4;

    private ContourArea() {
    }

    /** The summed area of every contour (outer borders and hole borders) of a mask (h × w, row-major; non-zero is foreground). */
    public static double of(byte[] mask, int w, int h) {
        int pw = w + 2;
        int[] f = new int[pw * (h + 2)];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                f[(y + 1) * pw + x + 1] = mask[y * w + x] != 0 ? 1 : 0;
            }
        }
        int[] offset = new int[8];
        for (int d = 0; d < 8; d++) {
            offset[d] = DY[d] * pw + DX[d];
        }
        double total = 0;
        int nbd = 1;
        for (int y = 1; y <= h; y++) {
            for (int x = 1; x <= w; x++) {
                int p = y * pw + x;
                if (f[p] == 0) {
                    continue;
                }
                int from;
                if (f[p] == 1 && f[p - 1] == 0) {
                    from = WEST;       // an outer border starts here
                } else if (f[p] >= 1 && f[p + 1] == 0) {
                    from = EAST;       // a hole border starts here
                } else {
                    continue;
                }
                nbd++;
                total += follow(f, pw, offset, p, from, nbd);
            }
        }
        return total;
    }

    /**
     * Follows one border from its start pixel p, whose neighbour in direction {@code from} is the background
     * pixel that started it; labels the border's pixels as Suzuki and Abe do (−nbd where the east neighbour is
     * background, nbd otherwise) and returns the shoelace area of the followed polygon.
     */
    private static double follow(int[] f, int pw, int[] offset, int p, int from, int nbd) {
        // 3.1: clockwise around p from the starting background neighbour, the first foreground pixel.
        int first = -1;
        for (int k = 1; k < 8; k++) {
            int d = Math.floorMod(from - k, 8);
            if (f[p + offset[d]] != 0) {
                first = d;
                break;
            }
        }
        if (first < 0) {
            f[p] = -nbd;       // an isolated pixel: a one-point contour of area 0
            return 0;
        }
        int p1 = p + offset[first];
        int p3 = p;
        int back = first;      // direction from p3 to the previous border pixel (p2)
        long twice = 0;
        while (true) {
            // 3.3: counter-clockwise around p3, starting after p2, the next foreground pixel p4.
            boolean eastIsBackground = false;
            int d = back;
            int p4;
            while (true) {
                d = (d + 1) % 8;
                p4 = p3 + offset[d];
                if (f[p4] != 0) {
                    break;
                }
                if (d == EAST) {
                    eastIsBackground = true;
                }
            }
            // 3.4: label p3.
            if (eastIsBackground) {
                f[p3] = -nbd;
            } else if (f[p3] == 1) {
                f[p3] = nbd;
            }
            int x3 = p3 % pw;
            int y3 = p3 / pw;
            int x4 = p4 % pw;
            int y4 = p4 / pw;
            twice += (long) x3 * y4 - (long) x4 * y3;
            // 3.5: back at the start, about to leave it the way the border began: closed.
            if (p4 == p && p3 == p1) {
                break;
            }
            back = (d + 4) % 8;
            p3 = p4;
        }
        return Math.abs(twice) / 2.0;
    }
}
