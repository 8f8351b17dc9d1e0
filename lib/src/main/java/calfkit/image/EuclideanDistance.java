package calfkit.image;

/**
 * Exact Euclidean distance transform in linear time (Felzenszwalb and Huttenlocher, 2012): the squared
 * distance from each pixel to the nearest "site" pixel, by two passes of the 1-D lower envelope of parabolas
 * (columns, then rows). Used for the 95th-percentile Hausdorff distance and the boundary losses' distance maps.
 */
public final class EuclideanDistance {

    private static final double INF = 1e20;

    private EuclideanDistance() {
    }

    /**
     * Distance (not squared) from each pixel to the nearest pixel where {@code site} is true; +∞ everywhere
     * when there is no site.
     */
    public static double[] distanceTo(boolean[] site, int w, int h) {
        double[] f = new double[w * h];
        boolean any = false;
        for (int i = 0; i < f.length; i++) {
            f[i] = site[i] ? 0 : INF;
            any |= site[i];
        }
        if (!any) {
            java.util.Arrays.fill(f, Double.POSITIVE_INFINITY);
            return f;
        }
        int n = Math.max(w, h);
        double[] line = new double[n];
        double[] out = new double[n];
        int[] v = new int[n];
        double[] z = new double[n + 1];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                line[y] = f[y * w + x];
            }
            transform1d(line, h, out, v, z);
            for (int y = 0; y < h; y++) {
                f[y * w + x] = out[y];
            }
        }
        for (int y = 0; y < h; y++) {
            System.arraycopy(f, y * w, line, 0, w);
            transform1d(line, w, out, v, z);
            for (int x = 0; x < w; x++) {
                f[y * w + x] = Math.sqrt(out[x]);
            }
        }
        return f;
    }

    /** 1-D squared distance transform of sampled function f (length n) into d. */
    private static void transform1d(double[] f, int n, double[] d, int[] v, double[] z) {
        int k = 0;
        v[0] = 0;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        for (int q = 1; q < n; q++) {
            double s = ((f[q] + (double) q * q) - (f[v[k]] + (double) v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
            while (s <= z[k]) {
                k--;
                s = ((f[q] + (double) q * q) - (f[v[k]] + (double) v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (z[k + 1] < q) {
                k++;
            }
            double dq = q - v[k];
            d[q] = dq * dq + f[v[k]];
        }
    }
}
