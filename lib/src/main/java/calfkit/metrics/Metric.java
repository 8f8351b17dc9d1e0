package calfkit.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The registry of the kit's test metrics, in the paper's order: each with the name the results tables and JSON
 * files use, the label a paper prints, how it reduces, the range its confidence interval must respect, and its
 * score of one image (or of pooled counts, {@link ImageScores}). All but HD95 are on thresholded predictions
 * (logit &gt; 0); HD95 is the mean over the images where it is defined.
 */
public enum Metric {
    ACCURACY("accuracy", "Accuracy", true, ImageScores::accuracy),
    DSC("dsc", "DSC", false, ImageScores::dsc),
    IOU("iou", "IoU", false, ImageScores::iou),
    SPECIFICITY("specificity", "Specificity", false, ImageScores::specificity),
    SENSITIVITY("sensitivity", "Sensitivity", false, ImageScores::sensitivity),
    PRECISION("precision", "Precision", false, ImageScores::precision),
    MAE("mae", "MAE", false, ImageScores::mae),
    /** In pixels; unbounded above, so its interval is computed on the log(1 + x) scale. */
    HD95("hd95", "HD95", false, ImageScores::hd95);

    /** Every metric's name, in the paper's order. */
    public static final List<String> NAMES = Arrays.stream(values()).map(Metric::id).toList();

    private final String id;
    private final String label;
    private final boolean pixelwise;
    private final ToDoubleFunction<ImageScores> score;

    Metric(String id, String label, boolean pixelwise, ToDoubleFunction<ImageScores> score) {
        this.id = id;
        this.label = label;
        this.pixelwise = pixelwise;
        this.score = score;
    }

    /** The name in tables and files ("dsc"). */
    public String id() {
        return id;
    }

    /** The label a paper prints ("DSC"). */
    public String label() {
        return label;
    }

    /**
     * Whether the authors' reduction takes it over all pixels rather than per batch: accuracy only
     * ({@code solver.py} counts correct pixels over the test set; MAE is a per-batch mean, averaged over batches).
     */
    public boolean pixelwise() {
        return pixelwise;
    }

    /** Its score of one image's counts (or of counts summed over images). */
    public double score(ImageScores s) {
        return score.applyAsDouble(s);
    }

    /** The range its confidence interval must respect. */
    public SeedStatistics.Bounds bounds() {
        return this == HD95 ? SeedStatistics.Bounds.POSITIVE : SeedStatistics.Bounds.UNIT;
    }

    /**
     * The metric a column is about: its name, or a variant of it ("dsc_pooled", "dsc_per_image").
     *
     * @throws IllegalArgumentException naming the column and the metrics
     */
    public static Metric of(String column) {
        String c = column.trim().toLowerCase(Locale.ROOT);
        for (Metric m : values()) {
            if (c.equals(m.id) || c.startsWith(m.id + "_")) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + column + "' is not a metric; expected one of " + String.join(", ", NAMES));
    }
}
