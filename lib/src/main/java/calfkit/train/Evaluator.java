package calfkit.train;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.GsonBuilder;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import calfkit.data.AtomicFiles;
import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.engine.Devices;
import calfkit.loss.BceLoss;
import calfkit.metrics.Evaluation;
import calfkit.metrics.Reduction;

/**
 * Loads a run's best model, evaluates it on a dataset's test split (the split the run's seed gives), and writes a
 * run's test files.
 */
public final class Evaluator {

    private Evaluator() {
    }

    public static Evaluation evaluateRun(RunFolder run, SliceIndex index) throws IOException {
        TrainConfig c = run.config();
        return evaluateBest(run, c, index, TrainingRun.data(index, c).split().test());
    }

    /** The best epoch's model of a run, evaluated on the given slices. */
    public static Evaluation evaluateBest(RunFolder run, TrainConfig c, SliceIndex index, List<Slice> test)
            throws IOException {
        Slice s = test.get(0);
        Shape shape = new Shape(1, 1, s.height(), s.width());
        try (Model model = TrainingRun.newModel(c, Devices.trainingDevices().get(0), shape, run.bestParameters(), run.dir());
             Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new BceLoss()))) {
            trainer.initialize(shape);
            return TrainingRun.evaluate(model.getBlock(), trainer, index, test, TrainingRun.EVALUATION_BATCH);
        }
    }

    /**
     * Writes a run's test files, each atomically: {@code test-per-slice.csv}, {@code test-dsc-by-size.csv}, then
     * {@code test-metrics.json} (which marks the run finished, {@link RunFolder#finished}).
     */
    public static void writeTestResults(RunFolder folder, Evaluation test) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        for (Reduction r : Reduction.values()) {
            json.put(r.name().toLowerCase(Locale.ROOT), test.metrics(r));
        }
        json.put("images", test.images().size());
        json.put("hd95_undefined_images", test.hd95Undefined());
        AtomicFiles.writeCsv(folder.dir().resolve(RunFolder.TEST_PER_SLICE), test.perImage("test per slice"));
        AtomicFiles.writeCsv(folder.dir().resolve(RunFolder.TEST_DSC_BY_SIZE), test.dscBySize("test DSC by tumour size"));
        folder.write(RunFolder.TEST_METRICS, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .create().toJson(json));
    }
}
