package calfkit.train;

import java.io.IOException;
import java.util.List;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.engine.Devices;
import calfkit.loss.BceLoss;
import calfkit.metrics.Evaluation;

/** Loads a run's best model and evaluates it on a dataset's test split (the split the run's seed gives). */
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
}
