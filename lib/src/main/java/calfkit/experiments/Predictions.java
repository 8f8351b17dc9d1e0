package calfkit.experiments;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;

import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.engine.Devices;
import calfkit.image.png.PngReader;
import calfkit.metrics.ImageScores;
import calfkit.metrics.Metric;
import calfkit.train.Inference;
import calfkit.train.ModelLoader;
import calfkit.train.RunFolder;
import calfkit.train.TrainConfig;

/** A trained run's best model applied to chosen slices: thresholded predictions and their scores. */
public final class Predictions {

    /** One slice's prediction: image, truth, predicted mask (logit &gt; 0) and scores. */
    public record Prediction(Slice slice, byte[] gray, float[] truth, boolean[] predicted, ImageScores scores) {
    }

    private Predictions() {
    }

    /** A slice the prediction explorer shows, and why it was picked (the figure's column label). */
    public record Pick(Slice slice, String why) {
    }

    /**
     * The slices the prediction explorer shows, each once, in this order: the smallest tumour, the next smallest,
     * the tumour slice with the lowest and the one with the highest DSC in {@code perSlice} among those not shown yet (a run's
     * {@code test-per-slice.csv}: columns slice, area, dsc), and a slice without tumour (to show false alarms);
     * fewer only when the test set has fewer such slices.
     */
    public static List<Slice> explorerSlices(List<Slice> test, tech.tablesaw.api.Table perSlice) {
        return explorerPicks(test, perSlice).stream().map(Pick::slice).toList();
    }

    /** {@link #explorerSlices}, each with the reason it was picked ("smallest tumour", "worst DSC", …). */
    public static List<Pick> explorerPicks(List<Slice> test, tech.tablesaw.api.Table perSlice) {
        List<Slice> tumours = test.stream().filter(Slice::tumour).sorted(java.util.Comparator.comparingLong(Slice::area))
                .toList();
        tech.tablesaw.api.Table withTumour = perSlice.where(perSlice.numberColumn("area").isGreaterThan(0));
        java.util.Map<Slice, String> picked = new java.util.LinkedHashMap<>();
        if (!tumours.isEmpty()) {
            picked.put(tumours.get(0), "smallest tumour");
        }
        if (tumours.size() > 1) {
            picked.put(tumours.get(1), "next smallest");
        }
        // The worst and the best by DSC among the slices not shown yet (the worst is often one of the smallest).
        java.util.Map<String, Slice> byImage = new java.util.HashMap<>();
        test.forEach(t -> byImage.put(t.image(), t));
        String[] why = {"worst DSC", "best DSC"};
        List<tech.tablesaw.api.Table> orders = List.of(withTumour.sortAscendingOn("dsc"), withTumour.sortDescendingOn("dsc"));
        for (int k = 0; k < 2; k++) {
            for (String image : orders.get(k).stringColumn("slice")) {
                Slice s = byImage.get(image);
                if (s != null && !picked.containsKey(s)) {
                    picked.put(s, why[k]);
                    break;
                }
            }
        }
        test.stream().filter(s -> !s.tumour()).findFirst().ifPresent(s -> picked.put(s, "no tumour"));
        List<Pick> out = new ArrayList<>();
        picked.forEach((s, w) -> out.add(new Pick(s, w)));
        return out;
    }

    /**
     * A run's {@code test-per-slice.csv} as the explorer shows it: one row per test slice (slice, area, predicted
     * pixels, DSC, IoU, sensitivity, precision, HD95, false positives and negatives), with the ratios that are 0/0
     * on that slice as NaN ("–" when shown): precision when nothing is predicted, sensitivity when the slice holds
     * no tumour, DSC and IoU when neither truth nor prediction has foreground. The file keeps the authors'
     * convention, 0/0 = 1, which the reductions use.
     */
    public static tech.tablesaw.api.Table perSlice(RunFolder run, String name) throws IOException {
        // Types given, not guessed: a column whose values happen to be whole (0.0, 1.0) would be read as integers.
        java.util.Map<String, tech.tablesaw.api.ColumnType> types = new java.util.HashMap<>();
        for (String c : Metric.NAMES) {  // a run's file has those of the registry when it was written
            types.put(c, tech.tablesaw.api.ColumnType.DOUBLE);
        }
        for (String c : List.of("batch", "area", "predicted", "fp", "fn")) {
            types.put(c, tech.tablesaw.api.ColumnType.LONG);
        }
        types.put("slice", tech.tablesaw.api.ColumnType.STRING);
        tech.tablesaw.api.Table t = tech.tablesaw.api.Table.read().usingOptions(tech.tablesaw.io.csv.CsvReadOptions
                .builder(run.dir().resolve(RunFolder.TEST_PER_SLICE).toFile()).columnTypesPartial(types));
        t.setName(name);
        for (int r = 0; r < t.rowCount(); r++) {
            boolean tumour = t.longColumn("area").get(r) > 0;
            boolean predicted = t.longColumn("predicted").get(r) > 0;
            if (!predicted) {
                t.doubleColumn("precision").set(r, Double.NaN);
            }
            if (!tumour) {
                t.doubleColumn("sensitivity").set(r, Double.NaN);
            }
            if (!tumour && !predicted) {
                t.doubleColumn("dsc").set(r, Double.NaN);
                t.doubleColumn("iou").set(r, Double.NaN);
            }
        }
        return t.selectColumns("slice", "area", "predicted", "dsc", "iou", "sensitivity", "precision", "hd95", "fp", "fn");
    }

    /** The run's best model applied to {@code slices} through {@link Inference}, as its test saw them. */
    public static List<Prediction> of(RunFolder run, SliceIndex index, List<Slice> slices) throws IOException {
        TrainConfig c = run.config();
        List<Prediction> out = new ArrayList<>();
        Slice first = slices.get(0);
        PngReader reader = new PngReader();
        try (Model model = ModelLoader.newModel(c, Devices.trainingDevices().get(0),
                new Shape(1, 1, first.height(), first.width()), run.checkpoints().best(), run.dir())) {
            Inference.forEachBatch(model.getBlock(), model.getNDManager(), index, slices, (part, logits, truth) -> {
                float[] l = logits.toFloatArray();
                float[] t = truth.toFloatArray();
                for (int k = 0; k < part.size(); k++) {
                    Slice s = part.get(k);
                    int n = s.width() * s.height();
                    float[] sliceLogits = Arrays.copyOfRange(l, k * n, (k + 1) * n);
                    float[] sliceTruth = Arrays.copyOfRange(t, k * n, (k + 1) * n);
                    boolean[] p = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        p[i] = sliceLogits[i] > 0;
                    }
                    out.add(new Prediction(s, reader.readGray8(index.imagePath(s)), sliceTruth, p,
                            ImageScores.of(sliceLogits, sliceTruth, s.width(), s.height(), true)));
                }
            });
        }
        return out;
    }
}
