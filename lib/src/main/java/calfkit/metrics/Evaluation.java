package calfkit.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.stat.descriptive.rank.Median;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The scores of every test image, grouped in the batches they were predicted in, and the paper's metrics
 * from them under each {@link Reduction}: accuracy, DSC, IoU, specificity, sensitivity, precision, MAE on
 * thresholded predictions (logit &gt; 0), and HD95 (mean over images where it is defined).
 */
public final class Evaluation {

    private final List<String> ids = new ArrayList<>();
    private final List<ImageScores> images = new ArrayList<>();
    private final List<Integer> batchOf = new ArrayList<>();
    private int batches;

    /** Adds one predicted batch: the images' identifiers and scores. */
    public void addBatch(List<String> imageIds, List<ImageScores> scores) {
        if (imageIds.size() != scores.size()) {
            throw new IllegalArgumentException(imageIds.size() + " ids for " + scores.size() + " scores");
        }
        ids.addAll(imageIds);
        images.addAll(scores);
        for (int i = 0; i < scores.size(); i++) {
            batchOf.add(batches);
        }
        batches++;
    }

    public List<ImageScores> images() {
        return images;
    }

    public List<String> ids() {
        return ids;
    }

    /** Every metric under a reduction. */
    public Map<String, Double> metrics(Reduction reduction) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            m.put(metric.id(), metric == Metric.HD95 ? meanHd95() : metric(reduction, metric));
        }
        return m;
    }

    /** HD95: the mean over the images where it is defined, under every reduction. */
    private double meanHd95() {
        return images.stream().mapToDouble(ImageScores::hd95).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
    }

    /** Images whose HD95 is undefined (exactly one of truth and prediction empty). */
    public long hd95Undefined() {
        return images.stream().filter(s -> Double.isNaN(s.hd95())).count();
    }

    private double metric(Reduction reduction, Metric metric) {
        if (images.isEmpty()) {
            return Double.NaN;
        }
        ToDoubleFunction<ImageScores> f = metric::score;
        return switch (reduction) {
            case PER_IMAGE -> images.stream().mapToDouble(f).average().orElse(Double.NaN);
            case POOLED -> f.applyAsDouble(sum(images));
            case AUTHORS -> {
                if (metric.pixelwise()) {
                    yield f.applyAsDouble(sum(images));
                }
                List<List<ImageScores>> byBatch = new ArrayList<>();
                for (int b = 0; b < batches; b++) {
                    byBatch.add(new ArrayList<>());
                }
                for (int i = 0; i < images.size(); i++) {
                    byBatch.get(batchOf.get(i)).add(images.get(i));
                }
                yield byBatch.stream().mapToDouble(in -> f.applyAsDouble(sum(in))).average().orElse(Double.NaN);
            }
        };
    }

    private static ImageScores sum(List<ImageScores> list) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        long area = 0;
        for (ImageScores s : list) {
            tp += s.tp();
            fp += s.fp();
            fn += s.fn();
            tn += s.tn();
            area += s.truthArea();
        }
        return new ImageScores(tp, fp, fn, tn, area, Double.NaN);
    }

    /**
     * DSC per image averaged within strata of tumour size (tertiles of the true area among tumour images:
     * small, medium, large) and for images without tumour; the paper's claim is about small regions. Two more
     * columns answer its two questions: {@code found} is the share of the stratum's slices where the model
     * predicts any foreground that overlaps the truth (for tumour-free slices: the share with any foreground at
     * all, false alarms), and {@code predicted / true area} is the median ratio of the predicted to the true
     * foreground area over the stratum's tumour slices (above 1: over-segmentation).
     */
    public Table dscBySize(String name) {
        long[] areas = images.stream().mapToLong(ImageScores::truthArea).filter(a -> a > 0).sorted().toArray();
        long cut1 = areas.length == 0 ? 0 : areas[areas.length / 3];
        long cut2 = areas.length == 0 ? 0 : areas[2 * areas.length / 3];
        String[] strata = {"no tumour", "small", "medium", "large"};
        double[] sum = new double[4];
        int[] count = new int[4];
        int[] found = new int[4];
        List<List<Double>> ratios = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (ImageScores s : images) {
            int k = s.truthArea() == 0 ? 0 : s.truthArea() < cut1 ? 1 : s.truthArea() < cut2 ? 2 : 3;
            sum[k] += s.dsc();
            count[k]++;
            long predicted = s.tp() + s.fp();
            found[k] += k == 0 ? (predicted > 0 ? 1 : 0) : (s.tp() > 0 ? 1 : 0);
            if (k > 0) {
                ratios.get(k).add((double) predicted / s.truthArea());
            }
        }
        double[] mean = new double[4];
        double[] share = new double[4];
        double[] median = new double[4];
        for (int k = 0; k < 4; k++) {
            mean[k] = count[k] == 0 ? Double.NaN : sum[k] / count[k];
            share[k] = count[k] == 0 ? Double.NaN : (double) found[k] / count[k];
            median[k] = new Median().evaluate(ratios.get(k).stream().mapToDouble(Double::doubleValue).toArray());
        }
        String[] ranges = {"area 0", "0 < area < " + cut1, cut1 + " ≤ area < " + cut2, "area ≥ " + cut2};
        return Table.create(name, StringColumn.create("stratum", strata), StringColumn.create("area (pixels)", ranges),
                IntColumn.create("images", count), DoubleColumn.create("dsc", mean), DoubleColumn.create("found", share),
                DoubleColumn.create("predicted / true area", median));
    }

    /**
     * The scan types of the test images, in the order first met, given each image id's ({@code calfkit.data.Slice}
     * reads it from the image's path); one "" for a dataset of one modality.
     */
    private List<String> modalities(java.util.function.UnaryOperator<String> modalityOf) {
        return ids.stream().map(modalityOf).distinct().toList();
    }

    /**
     * The metrics of each scan type's test images, as the CALF authors' {@code Solver.analyze_model} reports them
     * (every image alone, 0/0 = 1, averaged over the scan type's images: DSC, specificity, sensitivity), with the
     * pooled DSC beside them. One row per modality ({@link #modalities}).
     */
    public Table byModality(String name, java.util.function.UnaryOperator<String> modalityOf) {
        List<String> mods = modalities(modalityOf);
        int k = mods.size();
        int[] count = new int[k];
        double[] dsc = new double[k];
        double[] spec = new double[k];
        double[] sens = new double[k];
        List<List<ImageScores>> of = new ArrayList<>();
        for (int m = 0; m < k; m++) {
            of.add(new ArrayList<>());
        }
        for (int i = 0; i < images.size(); i++) {
            int m = mods.indexOf(modalityOf.apply(ids.get(i)));
            ImageScores s = images.get(i);
            count[m]++;
            dsc[m] += s.dsc();
            spec[m] += s.specificity();
            sens[m] += s.sensitivity();
            of.get(m).add(s);
        }
        double[] pooled = new double[k];
        for (int m = 0; m < k; m++) {
            dsc[m] /= count[m];
            spec[m] /= count[m];
            sens[m] /= count[m];
            pooled[m] = sum(of.get(m)).dsc();
        }
        return Table.create(name, StringColumn.create("modality", mods.stream().map(m -> m.isEmpty() ? "(one)" : m)),
                IntColumn.create("images", count), DoubleColumn.create("dsc (per image)", dsc),
                DoubleColumn.create("specificity (per image)", spec), DoubleColumn.create("sensitivity (per image)", sens),
                DoubleColumn.create("dsc (pooled)", pooled));
    }

    /**
     * One row per image: id, batch, true and predicted area, each metric of the registry scored on that image
     * ({@link Metric}, in its order), and the false positives and negatives.
     */
    public Table perImage(String name) {
        int n = images.size();
        Table t = Table.create(name, StringColumn.create("slice", ids),
                IntColumn.create("batch", batchOf.stream().mapToInt(i -> i).toArray()),
                LongColumn.create("area", images.stream().mapToLong(ImageScores::truthArea).toArray()),
                LongColumn.create("predicted", images.stream().mapToLong(s -> s.tp() + s.fp()).toArray()));
        for (Metric m : Metric.values()) {
            t.addColumns(DoubleColumn.create(m.id(), images.stream().mapToDouble(m::score).toArray()));
        }
        t.addColumns(LongColumn.create("fp", images.stream().mapToLong(ImageScores::fp).toArray()),
                LongColumn.create("fn", images.stream().mapToLong(ImageScores::fn).toArray()));
        assert t.rowCount() == n;
        return t;
    }

    @Override
    public String toString() {
        return images.size() + " images in " + batches + " batches: " + Arrays.toString(metrics(Reduction.AUTHORS).entrySet().toArray());
    }
}
