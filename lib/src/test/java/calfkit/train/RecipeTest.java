package calfkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import calfkit.model.Models;
import calfkit.model.SegmentationBlock;
import calfkit.testing.PythonReference;

/** The parts of the kit's training recipe: the learning-rate schedule, BatchNorm re-estimation, the prior bias, the plateau test. */
@Tag("reference")
class RecipeTest {

    @Test
    void scheduleMatchesTorchCosineAnnealingAfterALinearWarmUp() {
        int warmUp = 8;
        int total = 64;
        JsonObject c = new JsonObject();
        c.addProperty("id", "s");
        c.addProperty("peak", 3e-3);
        c.addProperty("warmup", warmUp);
        c.addProperty("total", total);
        c.addProperty("floor", 0.01);
        JsonArray cases = new JsonArray();
        cases.add(c);
        JsonObject req = new JsonObject();
        req.add("schedule", cases);
        JsonArray expected = PythonReference.run(req).getAsJsonObject("s").getAsJsonArray("lr");
        int replay = 16;
        LearningRateSchedule s = new LearningRateSchedule(3e-3f, warmUp, total, 0.01f, 0, replay);
        assertEquals(total, expected.size());
        for (int step = 1; step <= total; step++) {
            assertEquals(expected.get(step - 1).getAsDouble(), s.at(step), 1e-8, "step " + step);
            assertEquals(s.at(step), s.getNewValue(step), 0f);
        }
        // A resumed run continues the curve: Adam's count restarts at 1, the offset adds the finished steps.
        LearningRateSchedule resumed = new LearningRateSchedule(3e-3f, warmUp, total, 0.01f, 40, replay);
        assertEquals(s.at(41), resumed.getNewValue(1), 0f);
        // An extension cycle (PlateauExtension) replays torch's last 16 steps, twice over; without one, the floor stays.
        for (int j = 1; j <= 2 * replay; j++) {
            double replayed = expected.get(total - replay + (j - 1) % replay).getAsDouble();
            assertEquals(replayed, s.at(total + j), 1e-8, "extension step " + j);
        }
        assertEquals(expected.get(total - 1).getAsDouble(), new LearningRateSchedule(3e-3f, warmUp, total, 0.01f, 0, 0)
                .at(total + 5), 1e-8);
    }

    @Test
    void batchNormReestimationGivesTheWeightedMeanAndVarianceOfTheBatches() {
        try (NDManager manager = NDManager.newBaseManager()) {
            BatchNorm bn = BatchNorm.builder().build();
            bn.initialize(manager, DataType.FLOAT32, new Shape(4, 2, 3, 3));
            // Three batches of 4 × 2 channels × 3 × 3; channel c of batch k holds values around (k + 1) · (c + 1).
            List<float[]> data = new java.util.ArrayList<>();
            java.util.Random r = new java.util.Random(7);
            for (int k = 0; k < 3; k++) {
                float[] x = new float[4 * 2 * 9];
                for (int i = 0; i < x.length; i++) {
                    int channel = (i / 9) % 2;
                    x[i] = (float) ((k + 1) * (channel + 1) + r.nextGaussian());
                }
                data.add(x);
            }
            List<NDArray> inputs = data.stream().map(x -> manager.create(x, new Shape(4, 2, 3, 3))).toList();
            assertEquals(2, BatchNormStatistics.reestimate(bn, manager, inputs));
            double m = BatchNormStatistics.MOMENTUM;
            for (int channel = 0; channel < 2; channel++) {
                double wSum = 0;
                double mean = 0;
                double var = 0;
                for (int k = 0; k < 3; k++) {
                    double w = Math.pow(m, 2 - k);
                    double s = 0;
                    double ss = 0;
                    int n = 0;
                    for (int i = 0; i < data.get(k).length; i++) {
                        if ((i / 9) % 2 == channel) {
                            s += data.get(k)[i];
                            ss += data.get(k)[i] * (double) data.get(k)[i];
                            n++;
                        }
                    }
                    double mu = s / n;
                    wSum += w;
                    mean += w * mu;
                    var += w * (ss - n * mu * mu) / (n - 1);
                }
                float[] runningMean = param(bn, Parameter.Type.RUNNING_MEAN).toFloatArray();
                float[] runningVar = param(bn, Parameter.Type.RUNNING_VAR).toFloatArray();
                assertEquals(mean / wSum, runningMean[channel], 1e-4, "running mean of channel " + channel);
                assertEquals(var / wSum, runningVar[channel], 1e-3, "running variance of channel " + channel);
            }
        }
    }

    private static NDArray param(BatchNorm bn, Parameter.Type type) {
        return bn.getParameters().values().stream().filter(p -> p.getType() == type).findFirst().orElseThrow().getArray();
    }

    @Test
    void priorBiasSetsTheClassifierBiasToTheLogOdds() {
        for (String name : List.of("unet", "deeplabv3", "fpn")) {
            try (Model model = Model.newInstance(name)) {
                SegmentationBlock block = (SegmentationBlock) Models.create(name, Models.Size.QUICK);
                model.setBlock(block);
                block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(2, 1, 32, 32));
                float b = block.setPriorBias(0.0139);
                assertEquals(Math.log(0.0139 / (1 - 0.0139)), b, 1e-6, name);
                NDArray bias = block.getParameters().stream().filter(p -> p.getKey().endsWith("bias"))
                        .reduce((a, c) -> c).orElseThrow().getValue().getArray();
                assertEquals(b, bias.toFloatArray()[0], 1e-6, name + ": the last bias of the block is the classifier's");
            }
        }
    }

    private static EpochRow row(int epoch, double dsc) {
        return new EpochRow(epoch, 0.1, 0.1, dsc, dsc, dsc, 0.99, 1e-3, 1.0, "");
    }

    @Test
    void plateauIsTheBestSoFarGainOverTheLastQuarter() {
        // 8 epochs: q = 2; best of epochs 7-8 (0.905) against best of 1-6 (0.900): +0.005, a plateau.
        List<EpochRow> flat = List.of(row(1, 0.5), row(2, 0.8), row(3, 0.88), row(4, 0.9), row(5, 0.89), row(6, 0.87),
                row(7, 0.905), row(8, 0.9));
        Convergence c = Convergence.of(flat, Recipe.KIT);
        assertEquals(2, c.lastQuarter());
        assertEquals(0.005, c.gain(), 1e-12);
        assertTrue(c.plateaued(), c.verdict());
        assertEquals(7, c.bestEpoch(), "the first epoch with the highest DSC");
        assertEquals(0.905, c.bestDsc(), 0);
        List<EpochRow> rising = List.of(row(1, 0.5), row(2, 0.6), row(3, 0.7), row(4, 0.8));
        Convergence r = Convergence.of(rising, Recipe.KIT);
        assertEquals(0.1, r.gain(), 1e-12);
        assertFalse(r.plateaued());
        assertTrue(r.verdict().startsWith("STILL RISING"), r.verdict());
        assertFalse(Convergence.of(List.of(row(1, 0.5)), Recipe.KIT).plateaued(), "one epoch cannot show a plateau");
        // Learned a little, then predicted nothing for the last quarter: stable, but said to be a collapse.
        List<EpochRow> collapse = List.of(row(1, 0.07), row(2, 0.18), row(3, 0), row(4, 0), row(5, 0), row(6, 0),
                row(7, 0), row(8, 0));
        Convergence k = Convergence.of(collapse, Recipe.KIT);
        assertTrue(k.plateaued() && k.collapsed(), k.verdict());
        assertEquals("COLLAPSED (validation DSC < 0.10 over the last 2 of 8 epochs; best 0.180 at epoch 2)", k.verdict());
        assertFalse(c.collapsed());
    }

    @Test
    void eachConvergenceStateIsWrittenToAResultsCellAndReadBackFromIt() {
        Convergence plateau = Convergence.of(List.of(row(1, 0.5), row(2, 0.9), row(3, 0.9), row(4, 0.9)), Recipe.KIT);
        Convergence rising = Convergence.of(List.of(row(1, 0.5), row(2, 0.6), row(3, 0.7), row(4, 0.8)), Recipe.KIT);
        Convergence collapsed = Convergence.of(List.of(row(1, 0.18), row(2, 0), row(3, 0), row(4, 0)), Recipe.KIT);
        Convergence tooShort = Convergence.of(List.of(row(1, 0.5)), Recipe.KIT);
        assertEquals("plateau", plateau.column());
        assertEquals(rising.verdict(), rising.column());
        assertEquals("too short to tell (1 epoch)", tooShort.column());
        for (Convergence c : List.of(plateau, rising, collapsed, tooShort)) {
            assertEquals(c.state(), Convergence.State.ofColumn(c.column()), c.column());
        }
        assertEquals(List.of(Convergence.State.PLATEAU, Convergence.State.STILL_RISING, Convergence.State.COLLAPSED,
                Convergence.State.TOO_SHORT), List.of(plateau.state(), rising.state(), collapsed.state(), tooShort.state()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Convergence.State.ofColumn("converged"));
        assertTrue(e.getMessage().startsWith("'converged' is not a convergence verdict; expected one that starts with "
                + "'plateau', 'COLLAPSED'"), e.getMessage());
    }

    @Test
    void aRunStillRisingAtItsEndGetsAnotherCycleWhoseEpochsAreItsLastQuarter() {
        TrainConfig c = TrainConfig.forScale(calfkit.config.Scale.QUICK, "fpn", "iou");
        assertEquals(12, c.epochs());
        assertEquals(20, c.extensions());
        assertEquals(4, PlateauExtension.cycle(12));
        for (int e : new int[] {12, 16, 20}) {
            int cycle = PlateauExtension.cycle(e);
            assertEquals(cycle, (e + cycle + 3) / 4, e + " epochs: the extended run's last quarter is the cycle");
        }
        List<EpochRow> rows = new java.util.ArrayList<>();
        double[] rising = {0.2, 0.5, 0.5, 0.77, 0.49, 0.81, 0.70, 0.81, 0.83, 0.84, 0.848, 0.850};
        for (double d : rising) {
            assertEquals(12, PlateauExtension.epochs(rows, c), "within the planned epochs nothing is decided");
            rows.add(row(rows.size() + 1, d));
        }
        // +0.019 over epochs 10-12 against 1-9: another cycle, epochs 13-16.
        assertEquals(16, PlateauExtension.epochs(rows, c));
        rows.add(row(13, 0.832));
        assertEquals(16, PlateauExtension.epochs(rows, c), "a run interrupted in its cycle resumes into it");
        for (double d : new double[] {0.8495, 0.8495, 0.8488}) {
            rows.add(row(rows.size() + 1, d));
        }
        assertEquals(16, PlateauExtension.epochs(rows, c), "epochs 13-16 gained nothing over 1-12: at its plateau");
        // Still rising after every cycle: the cap, and the verdict says so.
        List<EpochRow> climbing = new java.util.ArrayList<>();
        for (int e = 1; e <= 92; e++) {
            climbing.add(row(e, 0.03 * e));
        }
        assertEquals(92, PlateauExtension.epochs(climbing, c), "twenty cycles at most");
        assertEquals(12, PlateauExtension.epochs(climbing, c.toBuilder().extensions(0).build()));
        assertEquals(3, PlateauExtension.epochs(climbing.subList(0, 3), c.withEpochs(3)), "too short to tell");
        assertFalse(Convergence.of(climbing, Recipe.KIT).plateaued());
        // A run at its plateau after its epochs, or collapsed, trains exactly them.
        List<EpochRow> flat = new java.util.ArrayList<>();
        for (int e = 1; e <= 12; e++) {
            flat.add(row(e, e < 4 ? 0.3 * e : 0.9));
        }
        assertEquals(12, PlateauExtension.epochs(flat, c));
        List<EpochRow> collapsed = new java.util.ArrayList<>();
        for (int e = 1; e <= 12; e++) {
            collapsed.add(row(e, e < 3 ? 0.05 * e : 0));
        }
        assertEquals(12, PlateauExtension.epochs(collapsed, c));
    }

    @Test
    void epochRowsRoundTripAndOldFilesRead() {
        EpochRow r = new EpochRow(3, 0.25, 0.5, 0.8, 0.75, 0.7, 0.99, 2.5e-3, 1.5, "Log10");
        assertEquals(r, EpochRow.parse(EpochRow.HEADER, r.toCsv()));
        EpochRow old = EpochRow.parse("epoch,train_loss,val_loss,val_dsc,val_iou,val_accuracy,seconds,branch",
                "2,0.3,0.4,0.6,0.5,0.98,3.0,");
        assertEquals(0.6, old.valDscAuthors(), 0, "the old val_dsc was the authors' reduction");
        assertTrue(Double.isNaN(old.valDsc()) && Double.isNaN(old.learningRate()));
        assertEquals(0.6, Convergence.selectionDsc(old, Recipe.KIT), 0);
    }
}
