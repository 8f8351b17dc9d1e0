package calfkit.experiments;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import calfkit.data.Slice;
import calfkit.data.SliceDataset;
import calfkit.data.SliceIndex;
import calfkit.engine.Devices;
import calfkit.metrics.ImageScores;
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

    public static List<Prediction> of(RunFolder run, SliceIndex index, List<Slice> slices) throws IOException {
        TrainConfig c = run.config();
        List<Prediction> out = new ArrayList<>();
        Slice first = slices.get(0);
        try (Model model = TrainingRun.newModel(c, Devices.trainingDevices().get(0),
                new Shape(1, 1, first.height(), first.width()), run.bestParameters(), run.dir())) {
            Block block = model.getBlock();
            SliceDataset ds = SliceDataset.builder().slices(index, slices).setSampling(1, false).build();
            calfkit.data.png.PngReader reader = new calfkit.data.png.PngReader();
            for (Slice s : slices) {
                try (NDManager m = model.getNDManager().newSubManager()) {
                    float[][] xy = ds.load(s);
                    Shape shape = new Shape(1, 1, s.height(), s.width());
                    NDArray logits = block.forward(new ParameterStore(m, false), new NDList(m.create(xy[0], shape)), false)
                            .head();
                    float[] l = logits.toFloatArray();
                    boolean[] p = new boolean[l.length];
                    for (int i = 0; i < l.length; i++) {
                        p[i] = l[i] > 0;
                    }
                    byte[] gray = reader.readGray8(index.imagePath(s));
                    out.add(new Prediction(s, gray, xy[1], p, ImageScores.of(l, xy[1], s.width(), s.height(), true)));
                }
            }
        }
        return out;
    }
}
