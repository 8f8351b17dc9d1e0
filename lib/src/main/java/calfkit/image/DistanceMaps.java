package calfkit.image;

/**
 * Signed distance maps of binary masks for the boundary losses, in Kervadec et al.'s convention (their
 * reference implementation's {@code one_hot2dist}):
 * <pre>
 *   φ = edt(outside) · outside − (edt(inside) − 1) · inside
 * </pre>
 * where edt(m) is, at each pixel of m, the Euclidean distance to the nearest pixel outside m. So φ is
 * positive outside the object (1 next to it), 0 on the object's boundary pixels and negative deeper inside;
 * an all-empty or all-full mask has the zero map. Exact distances in linear time
 * ({@link EuclideanDistance}, Felzenszwalb–Huttenlocher).
 */
public final class DistanceMaps {

    private DistanceMaps() {
    }

    /** The signed distance map of a 0/1 mask as {@code PngReader.read} gives it (h × w, row-major). */
    public static float[] signed(byte[] mask, int w, int h) {
        float[] m = new float[mask.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = mask[i] != 0 ? 1f : 0f;
        }
        return signed(m, w, h);
    }

    /** The signed distance map of a 0/1 mask (h × w, row-major). */
    public static float[] signed(float[] mask, int w, int h) {
        int n = w * h;
        boolean[] inside = new boolean[n];
        boolean[] outside = new boolean[n];
        boolean anyIn = false;
        boolean anyOut = false;
        for (int i = 0; i < n; i++) {
            inside[i] = mask[i] > 0.5f;
            outside[i] = !inside[i];
            anyIn |= inside[i];
            anyOut |= outside[i];
        }
        float[] phi = new float[n];
        if (!anyIn || !anyOut) {
            return phi;
        }
        double[] toInside = EuclideanDistance.distanceTo(inside, w, h);   // edt(outside) on outside pixels
        double[] toOutside = EuclideanDistance.distanceTo(outside, w, h); // edt(inside) on inside pixels
        for (int i = 0; i < n; i++) {
            phi[i] = inside[i] ? (float) -(toOutside[i] - 1) : (float) toInside[i];
        }
        return phi;
    }

    /** Signed maps of a batch of masks laid out one after another (each h × w). */
    public static float[] signedBatch(float[] masks, int w, int h) {
        int n = w * h;
        float[] out = new float[masks.length];
        for (int b = 0; b < masks.length / n; b++) {
            float[] one = new float[n];
            System.arraycopy(masks, b * n, one, 0, n);
            System.arraycopy(signed(one, w, h), 0, out, b * n, n);
        }
        return out;
    }
}
