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

    /**
     * The slices the prediction explorer shows, each once, in this order: the smallest tumour, the next smallest,
     * the tumour slice with the lowest and the one with the highest DSC in {@code perSlice} among those not shown yet (a run's
     * {@code test-per-slice.csv}: columns slice, area, dsc), and a slice without tumour (to show false alarms).
     */
    public static List<Slice> explorerSlices(List<Slice> test, tech.tablesaw.api.Table perSlice) {
        List<Slice> tumours = test.stream().filter(Slice::tumour).sorted(java.util.Comparator.comparingLong(Slice::area))
                .toList();
        tech.tablesaw.api.Table withTumour = perSlice.where(perSlice.numberColumn("area").isGreaterThan(0));
        java.util.Set<Slice> picked = new java.util.LinkedHashSet<>();
        if (!tumours.isEmpty()) {
            picked.add(tumours.get(0));
            picked.add(tumours.get(Math.min(1, tumours.size() - 1)));
        }
        // The worst and the best by DSC among the slices not shown yet (the worst is often one of the smallest).
        for (tech.tablesaw.api.Table order : List.of(withTumour.sortAscendingOn("dsc"), withTumour.sortDescendingOn("dsc"))) {
            for (String image : order.stringColumn("slice")) {
                java.util.Optional<Slice> s = test.stream().filter(t -> t.image().equals(image)).findFirst();
                if (s.isPresent() && picked.add(s.get())) {
                    break;
                }
            }
        }
        test.stream().filter(s -> !s.tumour()).findFirst().ifPresent(picked::add);
        return List.copyOf(picked);
    }

    /** The run's best model applied to {@code slices} through {@link Inference}, as its test saw them. */
    public static List<Prediction> of(RunFolder run, SliceIndex index, List<Slice> slices) throws IOException {
        TrainConfig c = run.config();
        List<Prediction> out = new ArrayList<>();
        Slice first = slices.get(0);
        PngReader reader = new PngReader();
        try (Model model = ModelLoader.newModel(c, Devices.trainingDevices().get(0),
                new Shape(1, 1, first.height(), first.width()), run.bestParameters(), run.dir())) {
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
