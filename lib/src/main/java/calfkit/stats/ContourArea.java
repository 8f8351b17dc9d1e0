package calfkit.stats;

/**
 * Foreground area as the authors' released code measured it: the area enclosed by each object's outer
 * contour, as OpenCV's {@code findContours} (external contours) and {@code contourArea} give it. Each
 * 8-connected object's outer boundary is traced through the centres of its boundary pixels (Moore-neighbour
 * tracing) and its polygon's area taken by the shoelace formula; the objects' areas are added.
 *
 * <p>Differences from the pixel count (the kit's default, {@link AreaMeasure#PIXELS}): a single pixel, or a
 * one-pixel-wide line, encloses area 0; an n×n square encloses (n − 1)²; holes inside an object count as
 * area. Only outer contours are traced, so an object inside another object's hole is added again.
 */
public final class ContourArea {

    /** Moore neighbourhood, clockwise starting west (image coordinates, y down). */
    private static final int[] DX = {-1, -1, 0, 1, 1, 1, 0, -1};
    private static final int[] DY = {0, -1, -1, -1, 0, 1, 1, 1};

    private ContourArea() {
    }

    /** The summed outer-contour area of a 0/1 mask (h × w, row-major; non-zero is foreground). */
    public static double of(byte[] mask, int w, int h) {
        boolean[] seen = new boolean[w * h];
        int[] stack = new int[w * h];
        double total = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (mask[i] == 0 || seen[i]) {
                    continue;
                }
                // (x, y) is the object's first pixel in scan order: its west neighbour is background.
                total += traceArea(mask, w, h, x, y);
                markComponent(mask, w, h, i, seen, stack);
            }
        }
        return total;
    }

    private static boolean fg(byte[] m, int w, int h, int x, int y) {
        return x >= 0 && y >= 0 && x < w && y < h && m[y * w + x] != 0;
    }

    /** Traces the outer boundary from a start pixel whose west neighbour is background; shoelace area. */
    private static double traceArea(byte[] m, int w, int h, int sx, int sy) {
        int x = sx;
        int y = sy;
        int dir = 0; // direction we came from: the backtrack neighbour is west
        double twice = 0;
        int startDir = -1;
        int steps = 0;
        int limit = 4 * w * h + 8;
        while (true) {
            // Search clockwise from the neighbour after the backtrack direction.
            int found = -1;
            for (int k = 1; k <= 8; k++) {
                int d = (dir + k) % 8;
                if (fg(m, w, h, x + DX[d], y + DY[d])) {
                    found = d;
                    break;
                }
            }
            if (found < 0) {
                return 0; // an isolated pixel
            }
            if (x == sx && y == sy) {
                if (startDir == found && steps > 0) {
                    break; // back at the start, leaving the same way: the contour is closed
                }
                if (startDir < 0) {
                    startDir = found;
                }
            }
            int nx = x + DX[found];
            int ny = y + DY[found];
            twice += (double) x * ny - (double) nx * y;
            // The backtrack cell (the last background cell examined) seen from the new pixel.
            dir = found % 2 == 0 ? (found + 6) % 8 : (found + 5) % 8;
            x = nx;
            y = ny;
            if (++steps > limit) {
                break;
            }
        }
        return Math.abs(twice) / 2;
    }

    private static void markComponent(byte[] m, int w, int h, int start, boolean[] seen, int[] stack) {
        int top = 0;
        stack[top++] = start;
        seen[start] = true;
        while (top > 0) {
            int i = stack[--top];
            int x = i % w;
            int y = i / w;
            for (int d = 0; d < 8; d++) {
                int nx = x + DX[d];
                int ny = y + DY[d];
                if (fg(m, w, h, nx, ny) && !seen[ny * w + nx]) {
                    seen[ny * w + nx] = true;
                    stack[top++] = ny * w + nx;
                }
            }
        }
    }
}
