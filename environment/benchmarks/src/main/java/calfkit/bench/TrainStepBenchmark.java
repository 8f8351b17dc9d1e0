package calfkit.bench;

import java.util.Arrays;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import ai.djl.util.Pair;

import calfkit.loss.BceLoss;
import calfkit.loss.CalfLoss;
import calfkit.loss.SegmentationLoss;
import calfkit.model.UNet;
import calfkit.stats.BranchDecision;
import calfkit.stats.EmptyMasks;
import calfkit.train.TrainStep;

/**
 * Benchmark of one training step (forward, loss, backward, Adam update) of a U-Net in DJL, with BCE and with
 * CALF, on fixed random tensors (no data loading). environment/benchmarks/run.sh runs the same network in
 * PyTorch (environment/benchmarks/unet_peer.py) in the same invocation and prints the ratio.
 *
 * <pre>java -Dai.djl.pytorch.num_threads=T calfkit.bench.TrainStepBenchmark BATCH SIZE DEPTH WIDTH STEPS [side-by-side]</pre>
 *
 * With {@code side-by-side}, two BCE trainings step at the same time on two threads of this JVM, each on its own
 * model, as a grid trains two runs at once ({@code SideBySide}: one PyTorch thread each, each thread collecting its own
 * gradients, {@code TrainStep.step}); it prints the mean of the two median step times.
 */
public final class TrainStepBenchmark {

    private TrainStepBenchmark() {
    }

    public static void main(String[] args) throws InterruptedException {
        int batch = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        int depth = Integer.parseInt(args[2]);
        int width = Integer.parseInt(args[3]);
        int steps = Integer.parseInt(args[4]);
        Engine.getInstance().setRandomSeed(1);
        // CALF in the dataset scope on a right-skewed area distribution: the Log10 branch.
        SegmentationLoss calf = CalfLoss.forDataset(BranchDecision.of(new long[] {0, 0, 0, 100, 400}, EmptyMasks.INCLUDE));
        // The first models a JVM trains run several times slower (JIT, PyTorch's allocator warming up):
        // train and discard one first, then measure BCE and CALF alternately and keep each one's best median.
        median(batch, size, depth, width, steps, new BceLoss(), true);
        if (args.length > 5 && args[5].equals("side-by-side")) {
            double[] ms = new double[2];
            Thread[] runs = new Thread[2];
            for (int k = 0; k < 2; k++) {
                int i = k;
                runs[k] = new Thread(() -> ms[i] = median(batch, size, depth, width, steps, new BceLoss(), false));
                runs[k].start();
            }
            for (Thread t : runs) {
                t.join();
            }
            System.out.printf("java_bce_step_ms=%.2f (two runs side by side in one JVM: %.2f and %.2f)%n",
                    (ms[0] + ms[1]) / 2, ms[0], ms[1]);
            return;
        }
        double bce = Double.MAX_VALUE;
        double calfMs = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            bce = Math.min(bce, median(batch, size, depth, width, steps, new BceLoss(), false));
            calfMs = Math.min(calfMs, median(batch, size, depth, width, steps, calf, false));
        }
        System.out.printf("java_bce_step_ms=%.2f%n", bce);
        System.out.printf("java_calf_step_ms=%.2f (branch %s)%n", calfMs, ((CalfLoss) calf).lastDecision().branch().label());
        System.out.printf("calf_over_bce=%.3f%n", calfMs / bce);
    }

    private static double median(int batch, int size, int depth, int width, int steps, SegmentationLoss loss, boolean print) {
        try (Model model = Model.newInstance("unet")) {
            UNet unet = new UNet(depth, width);
            unet.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            model.setBlock(unet);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                Shape shape = new Shape(batch, 1, size, size);
                trainer.initialize(shape);
                if (print) {
                    long n = 0;
                    for (Pair<String, Parameter> p : unet.getParameters()) {
                        if (p.getValue().requiresGradient()) {
                            n += p.getValue().getArray().size();
                        }
                    }
                    System.out.printf("java U-Net depth %d width %d: %d trainable parameters, batch %d x %dx%d, threads %s%n",
                            depth, width, n, batch, size, size, System.getProperty("ai.djl.pytorch.num_threads", "default"));
                }
                NDManager m = trainer.getManager();
                float[] xData = m.randomUniform(0, 1, shape).toFloatArray();
                float[] yData = m.randomUniform(0, 1, shape).gt(0.9f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                        .toFloatArray();
                double[] ms = new double[steps];
                for (int i = -5; i < steps; i++) {
                    long t0 = System.nanoTime();
                    // The trainer's own step (TrainStep.step) on a batch made as the loader makes one: its arrays
                    // and every activation live in the batch's sub-manager, closed after the step.
                    NDManager step = m.newSubManager();
                    try (Batch b = new Batch(step, new NDList(step.create(xData, shape)), new NDList(step.create(yData, shape)),
                            batch, Batchifier.STACK, Batchifier.STACK, 0, 0)) {
                        TrainStep.step(trainer, b);
                    }
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                Arrays.sort(ms);
                return ms[steps / 2];
            }
        }
    }
}
