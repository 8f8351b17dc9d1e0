package calfkit.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.optimizer.Adam;

import calfkit.config.Scale;
import calfkit.data.Augment;
import calfkit.data.SliceDataset;
import calfkit.data.SliceIndex;
import calfkit.data.phantom.PhantomConfig;
import calfkit.data.phantom.PhantomGenerator;
import calfkit.loss.BceLoss;
import calfkit.model.Models;

/**
 * Benchmark of the data loader against the training step it feeds (goal: loader ≥ 3× the step's
 * consumption on 2 cores). Writes a 256×256 phantom dataset, then measures (1) slices/s that the streaming
 * {@link SliceDataset} delivers as batches through DJL with decoding on worker threads and prefetch,
 * training augmentations on, and (2) slices/s one training step of the quick U-Net consumes at that size.
 *
 * <pre>java calfkit.bench.LoaderBenchmark DIR [BATCH] [WORKERS]</pre>
 */
public final class LoaderBenchmark {

    private LoaderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        SliceIndex index = Files.exists(dir.resolve(SliceIndex.FILE)) ? SliceIndex.read(dir)
                : new PhantomGenerator(PhantomConfig.forScale(Scale.FULL).withPatients(8, 64)).generate(dir, false);
        ExecutorService executor = Executors.newFixedThreadPool(workers);
        try (Model model = Model.newInstance("unet")) {
            model.setBlock(Models.create("unet", Models.Size.QUICK));
            model.getBlock().setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            DefaultTrainingConfig config = new DefaultTrainingConfig(new BceLoss()).optOptimizer(Adam.builder().build())
                    .optExecutorService(executor);
            try (Trainer trainer = model.newTrainer(config)) {
                Shape shape = new Shape(batch, 1, 256, 256);
                trainer.initialize(shape);
                SliceDataset ds = SliceDataset.builder().slices(index, index.slices()).optAugment(Augment.TRAINING)
                        .setSampling(batch, true, true).optPrefetchNumber(2 * workers).build();
                double best = 0;
                for (int pass = 0; pass < 3; pass++) {
                    long t0 = System.nanoTime();
                    long n = 0;
                    for (Batch b : trainer.iterateDataset(ds)) {
                        n += b.getSize();
                        b.close();
                    }
                    best = Math.max(best, n / ((System.nanoTime() - t0) / 1e9));
                }
                NDManager m = trainer.getManager();
                NDArray x = m.randomUniform(0, 1, shape);
                NDArray y = m.randomUniform(0, 1, shape).gt(0.9f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                double[] ms = new double[10];
                for (int i = -5; i < ms.length; i++) {
                    long t0 = System.nanoTime();
                    // Per step, the outputs live in a sub-manager that is closed after the step (x and y are
                    // lent to it): otherwise every activation stays attached to the trainer's manager.
                    try (NDManager step = m.newSubManager(); GradientCollector gc = trainer.newGradientCollector()) {
                        x.tempAttach(step);
                        y.tempAttach(step);
                        NDArray l = trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x)));
                        gc.backward(l);
                    }
                    trainer.step();
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                Arrays.sort(ms);
                double consumption = batch / (ms[ms.length / 2] / 1000);
                System.out.printf("slices=%d size=256x256 batch=%d workers=%d augment=on%n", index.slices().size(), batch, workers);
                System.out.printf("loader_slices_per_s=%.0f%n", best);
                System.out.printf("train_step_slices_per_s=%.1f (quick U-Net, median step %.0f ms)%n", consumption, ms[ms.length / 2]);
                System.out.printf("loader_over_consumption=%.1f%n", best / consumption);
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
