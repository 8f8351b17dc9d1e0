package calfkit.data;

import java.util.Random;

/**
 * Training augmentations of a slice and its mask, seedable: random horizontal and vertical flips, a small
 * affine transform (rotation and scale about the centre; bilinear for the image, nearest for the mask),
 * intensity scaling and additive Gaussian noise (image only). {@link #NONE} for evaluation (the default
 * everywhere), {@link #TRAINING} a mild set for training.
 *
 * @param flips          random left-right and up-down flips
 * @param maxRotation    largest rotation, degrees (uniform in ±maxRotation)
 * @param maxScale       largest relative zoom (uniform in 1 ± maxScale)
 * @param intensityScale largest relative intensity change (uniform in 1 ± intensityScale)
 * @param noiseSigma     standard deviation of the added noise, in units of the [0, 1] image range
 */
public record Augment(boolean flips, double maxRotation, double maxScale, double intensityScale, double noiseSigma) {

    public static final Augment NONE = new Augment(false, 0, 0, 0, 0);
    public static final Augment TRAINING = new Augment(true, 10, 0.1, 0.1, 0.02);

    public boolean isNone() {
        return !flips && maxRotation == 0 && maxScale == 0 && intensityScale == 0 && noiseSigma == 0;
    }

    /**
     * Augments in place: {@code image} values in [0, 1], {@code mask} 0/1, both h × w row-major.
     */
    public void apply(float[] image, float[] mask, int w, int h, Random r) {
        if (isNone()) {
            return;
        }
        if (flips && r.nextBoolean()) {
            flip(image, w, h, true);
            flip(mask, w, h, true);
        }
        if (flips && r.nextBoolean()) {
            flip(image, w, h, false);
            flip(mask, w, h, false);
        }
        if (maxRotation > 0 || maxScale > 0) {
            double angle = Math.toRadians((2 * r.nextDouble() - 1) * maxRotation);
            double zoom = 1 + (2 * r.nextDouble() - 1) * maxScale;
            float[] img = image.clone();
            float[] msk = mask.clone();
            double cos = Math.cos(angle) / zoom;
            double sin = Math.sin(angle) / zoom;
            double cx = (w - 1) / 2.0;
            double cy = (h - 1) / 2.0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    // Inverse map: output pixel → source position.
                    double sx = cos * (x - cx) + sin * (y - cy) + cx;
                    double sy = -sin * (x - cx) + cos * (y - cy) + cy;
                    image[y * w + x] = bilinear(img, w, h, sx, sy);
                    int nx = (int) Math.round(sx);
                    int ny = (int) Math.round(sy);
                    mask[y * w + x] = nx >= 0 && ny >= 0 && nx < w && ny < h ? msk[ny * w + nx] : 0;
                }
            }
        }
        if (intensityScale > 0 || noiseSigma > 0) {
            float s = (float) (1 + (2 * r.nextDouble() - 1) * intensityScale);
            for (int i = 0; i < image.length; i++) {
                float v = image[i] * s + (float) (noiseSigma * r.nextGaussian());
                image[i] = Math.max(0, Math.min(1, v));
            }
        }
    }

    private static void flip(float[] a, int w, int h, boolean horizontal) {
        if (horizontal) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w / 2; x++) {
                    int i = y * w + x;
                    int j = y * w + (w - 1 - x);
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                }
            }
        } else {
            for (int y = 0; y < h / 2; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    int j = (h - 1 - y) * w + x;
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                }
            }
        }
    }

    private static float bilinear(float[] a, int w, int h, double x, double y) {
        if (x < 0 || y < 0 || x > w - 1 || y > h - 1) {
            return 0;
        }
        int x0 = (int) x;
        int y0 = (int) y;
        int x1 = Math.min(x0 + 1, w - 1);
        int y1 = Math.min(y0 + 1, h - 1);
        float fx = (float) (x - x0);
        float fy = (float) (y - y0);
        float top = a[y0 * w + x0] * (1 - fx) + a[y0 * w + x1] * fx;
        float bottom = a[y1 * w + x0] * (1 - fx) + a[y1 * w + x1] * fx;
        return top * (1 - fy) + bottom * fy;
    }
}
