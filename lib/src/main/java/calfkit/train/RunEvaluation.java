package calfkit.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import tech.tablesaw.api.Table;

import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.engine.Devices;
import calfkit.io.AtomicFiles;
import calfkit.metrics.Evaluation;

/**
 * A run's test: loads its best model, evaluates it on a dataset's test split (the split the run's data seed gives),
 * and writes the run's test files. (Not DJL's {@code ai.djl.training.evaluator.Evaluator}, a training metric.)
 */
public final class RunEvaluation {

    private RunEvaluation() {
    }

    public static Evaluation evaluateRun(RunFolder run, SliceIndex index) throws IOException {
        TrainConfig c = run.config();
        return evaluateBest(run, c, index, c.data(index).split().test());
    }

    /** The best epoch's model of a run, evaluated on the given slices ({@link Inference}, no trainer needed). */
    public static Evaluation evaluateBest(RunFolder run, TrainConfig c, SliceIndex index, List<Slice> test)
            throws IOException {
        return evaluate(run, c, index, test, run.checkpoints().best());
    }

    /**
     * The model of the run's last finished epoch ({@code checkpoints/}), evaluated on the given slices: what the
     * authors' protocol tests (notebook 08 compares it with the best epoch).
     */
    public static Evaluation evaluateLast(RunFolder run, TrainConfig c, SliceIndex index, List<Slice> test)
            throws IOException {
        return evaluate(run, c, index, test, run.checkpoints().last());
    }

    private static Evaluation evaluate(RunFolder run, TrainConfig c, SliceIndex index, List<Slice> test, Path params)
            throws IOException {
        Slice s = test.get(0);
        Shape shape = new Shape(1, 1, s.height(), s.width());
        try (Model model = ModelLoader.newModel(c, Devices.trainingDevices().get(0), shape, params, run.dir())) {
            return Inference.evaluate(model.getBlock(), model.getNDManager(), index, test);
        }
    }

    /**
     * Writes a run's test files, each atomically: {@code test-per-slice.csv}, {@code test-dsc-by-size.csv}, with
     * several modalities {@code test-by-modality.csv} ({@link Evaluation#byModality}), then
     * {@code test-metrics.json} ({@link TestMetrics}, which marks the run finished, {@link RunFolder#finished}).
     */
    public static void writeTestResults(RunFolder folder, Evaluation test) throws IOException {
        AtomicFiles.writeCsv(folder.dir().resolve(RunFolder.TEST_PER_SLICE), test.perImage("test per slice"));
        AtomicFiles.writeCsv(folder.dir().resolve(RunFolder.TEST_DSC_BY_SIZE), test.dscBySize("test DSC by tumour size"));
        Table byModality = test.byModality("test metrics by scan type", Slice::modalityOf);
        if (byModality.rowCount() > 1) {
            AtomicFiles.writeCsv(folder.dir().resolve(RunFolder.TEST_BY_MODALITY), byModality);
        }
        TestMetrics.of(test).write(folder);
    }

    /** Metrics as "accuracy 0.9876, dsc 0.8123, …" (four decimals), the way the logs print them. */
    public static String format(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.4f", v)));
        return sb.toString();
    }
}
