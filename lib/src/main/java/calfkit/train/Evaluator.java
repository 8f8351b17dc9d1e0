package calfkit.train;

import java.io.IOException;
import java.util.List;

import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.engine.Devices;
import calfkit.loss.BceLoss;
import calfkit.metrics.Evaluation;
import calfkit.model.Models;

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
        try (Model model = Model.newInstance(c.model(), Devices.trainingDevices().get(0))) {
            Block block = Models.create(c.model(), c.size());
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new BceLoss()))) {
                Slice s = test.get(0);
                trainer.initialize(new Shape(1, 1, s.height(), s.width()));
                try {
                    model.load(run.best(), "model");
                } catch (MalformedModelException | RuntimeException e) {
                    throw new IOException(run.best() + ": the checkpoint does not fit a " + Models.label(c.model())
                            + " (" + c.size().name().toLowerCase() + "), the architecture the run's config names ("
                            + e.getMessage() + ")", e);
                }
                return TrainingRun.evaluate(block, trainer, index, test, c.batch());
            }
        }
    }
}
