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
import calfkit.train.RunFolder;
import calfkit.train.TrainConfig;
import calfkit.train.TrainingRun;

/** A trained run's best model applied to chosen slices: thresholded predictions and their scores. */
public final class Predictions {

    /** One slice's prediction: image, truth, predicted mask (logit &gt; 0) and scores. */
    public record Prediction(Slice slice, byte[] gray, float[] truth, boolean[] predicted, ImageScores scores) {
    }

    private Predictions() {
    }

    /** The run's best model applied to {@code slices} through {@link Inference}, as its test saw them. */
    public static List<Prediction> of(RunFolder run, SliceIndex index, List<Slice> slices) throws IOException {
        TrainConfig c = run.config();
        List<Prediction> out = new ArrayList<>();
        Slice first = slices.get(0);
        PngReader reader = new PngReader();
        try (Model model = TrainingRun.newModel(c, Devices.trainingDevices().get(0),
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
