package calfkit.metrics;

import java.util.Arrays;

import calfkit.image.EuclideanDistance;

/** The 95th-percentile Hausdorff distance between two binary masks' boundaries, in pixels. */
public final class Hausdorff {

    private Hausdorff() {
    }

    /**
     * max(directed95(a → b), directed95(b → a)) over boundary pixels (foreground pixels with a 4-neighbour
     * in the background or on the image border). Both empty: 0; one empty: NaN.
     */
    public static double hd95(boolean[] a, boolean[] b, int w, int h) {
        boolean[] ea = boundary(a, w, h);
        boolean[] eb = boundary(b, w, h);
        boolean anyA = any(ea);
        boolean anyB = any(eb);
        if (!anyA && !anyB) {
            return 0;
        }
        if (!anyA || !anyB) {
            return Double.NaN;
        }
        return Math.max(directed(ea, EuclideanDistance.distanceTo(eb, w, h)),
                directed(eb, EuclideanDistance.distanceTo(ea, w, h)));
    }

    private static double directed(boolean[] from, double[] distanceToOther) {
        int n = 0;
        for (boolean f : from) {
            n += f ? 1 : 0;
        }
        double[] d = new double[n];
        int k = 0;
        for (int i = 0; i < from.length; i++) {
            if (from[i]) {
                d[k++] = distanceToOther[i];
            }
        }
        Arrays.sort(d);
        return percentile(d, 95);
    }

    /** Linear-interpolation percentile (numpy's default), p in [0, 100]. */
    static double percentile(double[] sorted, double p) {
        double pos = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    static boolean[] boundary(boolean[] m, int w, int h) {
        boolean[] e = new boolean[m.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (m[i] && (x == 0 || y == 0 || x == w - 1 || y == h - 1 || !m[i - 1] || !m[i + 1] || !m[i - w] || !m[i + w])) {
                    e[i] = true;
                }
            }
        }
        return e;
    }

    private static boolean any(boolean[] a) {
        for (boolean v : a) {
            if (v) {
                return true;
            }
        }
        return false;
    }
}
