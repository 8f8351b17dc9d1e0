package calfkit.data.convert;

/**
 * Bilinear resizing of an 8-bit grey image exactly as Pillow's {@code Image.resize(size, BILINEAR)} computes it,
 * which is what the CALF authors' data loader does to every image and mask ({@code transforms.Resize((256, 256))}
 * on a PIL image, {@code scripts/run_training.py}). Pillow resamples in two passes, horizontal then vertical, each
 * with a triangle filter of support max(1, in/out) centred at (x + 0.5)·in/out, its weights normalised over the
 * pixels inside the image, rounded to 22-bit fixed point, and each pass's output rounded to 8 bits
 * ({@code libImaging/Resample.c}). Tested against Pillow (python3-pil) in the reference helper.
 */
public final class PilBilinear {

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilBilinear() {
    }

    /** The w × h 8-bit image {@code in} (row-major, values 0–255 as unsigned bytes) resized to ow × oh. */
    public static byte[] resize(byte[] in, int w, int h, int ow, int oh) {
        if (w < 1 || h < 1 || ow < 1 || oh < 1 || in.length != w * h) {
            throw new IllegalArgumentException("resize: a " + w + "×" + h + " image of " + in.length
                    + " pixels to " + ow + "×" + oh);
        }
        int[] src = new int[w * h];
        for (int i = 0; i < src.length; i++) {
            src[i] = in[i] & 0xff;
        }
        int[] mid = ow == w ? src : pass(src, w, h, ow, true);
        int[] out = oh == h ? mid : pass(mid, ow, h, oh, false);
        byte[] b = new byte[ow * oh];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) out[i];
        }
        return b;
    }

    /** One pass along x (horizontal) or y: the image is w × h, the resampled axis becomes {@code outSize}. */
    private static int[] pass(int[] src, int w, int h, int outSize, boolean horizontal) {
        int inSize = horizontal ? w : h;
        Coefficients c = coefficients(inSize, outSize);
        int ow = horizontal ? outSize : w;
        int oh = horizontal ? h : outSize;
        int[] out = new int[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int o = horizontal ? x : y;
                long ss = 1L << (PRECISION_BITS - 1);
                for (int k = 0; k < c.count[o]; k++) {
                    int i = c.min[o] + k;
                    int v = horizontal ? src[y * w + i] : src[i * w + x];
                    ss += (long) v * c.weight[o][k];
                }
                long v = ss >> PRECISION_BITS;
                out[y * ow + x] = (int) Math.max(0, Math.min(255, v));
            }
        }
        return out;
    }

    private record Coefficients(int[] min, int[] count, int[][] weight) {
    }

    /** Pillow's {@code precompute_coeffs} with the bilinear filter, then {@code normalize_coeffs_8bpc}. */
    private static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filterScale;
        int[] min = new int[outSize];
        int[] count = new int[outSize];
        int[][] weight = new int[outSize][];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.max(0, (int) (center - support + 0.5));
            int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
            double[] k = new double[Math.max(0, xmax)];
            double ww = 0;
            for (int x = 0; x < xmax; x++) {
                double t = Math.abs((x + xmin - center + 0.5) * ss);
                k[x] = t < 1 ? 1 - t : 0;
                ww += k[x];
            }
            int[] q = new int[k.length];
            for (int x = 0; x < k.length; x++) {
                double v = ww != 0 ? k[x] / ww : k[x];
                q[x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS)) : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            min[xx] = xmin;
            count[xx] = k.length;
            weight[xx] = q;
        }
        return new Coefficients(min, count, weight);
    }
}
