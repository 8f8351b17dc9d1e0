package calfkit.metrics;

/**
 * The confusion counts of one image's thresholded prediction (logit &gt; 0) against its mask, and its 95th-
 * percentile Hausdorff distance.
 *
 * <p>Ratios use the authors' convention for an empty denominator: 0/0 = 1. So with an empty truth and an
 * empty prediction every score is 1 (nothing to find, nothing found); with an empty truth and a non-empty
 * prediction DSC, IoU and precision are 0 and sensitivity is 1 (0/0).
 *
 * <p>HD95 (pixels): max of the two directed 95th percentiles of boundary-to-boundary distances, as MONAI's
 * {@code compute_hausdorff_distance(percentile=95)}. Both empty: 0. Exactly one empty: undefined (NaN),
 * left out of averages (the count of such images is reported beside them).
 */
public record ImageScores(long tp, long fp, long fn, long tn, long truthArea, double hd95) {

    public long pixels() {
        return tp + fp + fn + tn;
    }

    static double ratio(double num, double den) {
        return den == 0 ? 1.0 : num / den;
    }

    public double dsc() {
        return ratio(2.0 * tp, 2.0 * tp + fp + fn);
    }

    public double iou() {
        return ratio(tp, tp + fp + fn);
    }

    public double sensitivity() {
        return ratio(tp, tp + fn);
    }

    public double specificity() {
        return ratio(tn, tn + fp);
    }

    public double precision() {
        return ratio(tp, tp + fp);
    }

    public double accuracy() {
        return ratio(tp + tn, pixels());
    }

    /** Mean absolute error of the thresholded prediction: the fraction of wrong pixels. */
    public double mae() {
        return ratio(fp + fn, pixels());
    }

    /** Scores of a thresholded prediction; {@code logits} and {@code truth} are h × w row-major. */
    public static ImageScores of(float[] logits, float[] truth, int w, int h, boolean withHd95) {
        return of(logits, 0, truth, 0, w, h, withHd95);
    }

    /** Scores of image {@code i} of flattened batch arrays (offset = i·w·h). */
    public static ImageScores of(float[] logits, int logitOffset, float[] truth, int truthOffset, int w, int h,
                                 boolean withHd95) {
        int n = w * h;
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        boolean[] pred = withHd95 ? new boolean[n] : null;
        boolean[] gt = withHd95 ? new boolean[n] : null;
        for (int i = 0; i < n; i++) {
            boolean p = logits[logitOffset + i] > 0;
            boolean t = truth[truthOffset + i] > 0.5f;
            if (p && t) {
                tp++;
            } else if (p) {
                fp++;
            } else if (t) {
                fn++;
            } else {
                tn++;
            }
            if (withHd95) {
                pred[i] = p;
                gt[i] = t;
            }
        }
        double hd = withHd95 ? Hausdorff.hd95(pred, gt, w, h) : Double.NaN;
        return new ImageScores(tp, fp, fn, tn, tp + fn, hd);
    }
}
