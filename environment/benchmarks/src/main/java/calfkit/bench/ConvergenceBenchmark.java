package calfkit.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import calfkit.config.Scale;
import calfkit.data.RunData;
import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.train.EpochRow;
import calfkit.train.Recipe;
import calfkit.train.TrainConfig;
import calfkit.train.TrainingRun;

/**
 * The convergence study of the quick recipe: the quick U-Net with BCE on the quick phantom at ratio 0.409, the
 * kit recipe with and without the prior bias, over seeds; prints each epoch's pooled validation DSC and each
 * run's test DSC and training time. environment/benchmarks/run.sh convergence runs the same network, data and
 * recipe in PyTorch (convergence_peer.py) in the same invocation: this program writes the slices it trains,
 * validates and tests on to OUT/{train,validation,test}.txt for it.
 *
 * <pre>java calfkit.bench.ConvergenceBenchmark DATA OUT SEED...</pre>
 */
public final class ConvergenceBenchmark {

    private ConvergenceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        SliceIndex index = SliceIndex.read(Path.of(args[0]));
        Path out = Path.of(args[1]);
        List<Long> seeds = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            seeds.add(Long.parseLong(args[i]));
        }
        // Exactly the scale's epochs (no PlateauExtension cycles): the PyTorch twin trains as many, epoch by epoch.
        TrainConfig base = TrainConfig.forScale(Scale.QUICK, "unet", "bce").toBuilder().ratio(0.409).extensions(0).build();
        RunData data = base.data(index);
        Files.createDirectories(out);
        write(out.resolve("train.txt"), data.sample().slices());
        write(out.resolve("validation.txt"), data.validation());
        write(out.resolve("test.txt"), data.split().test());
        System.out.printf(Locale.ROOT, "java U-Net quick, BCE, ratio 0.409: %d training, %d validation, %d test slices, "
                + "%d epochs of %d slices, batch %d, peak lr %g%n", data.sample().slices().size(), data.validation().size(),
                data.split().test().size(), base.epochs(), base.slicesPerEpoch(), base.batch(), base.learningRate());
        for (Recipe recipe : List.of(Recipe.KIT, Recipe.KIT_NO_PRIOR)) {
            String prior = recipe == Recipe.KIT ? "on" : "off";
            for (long seed : seeds) {
                TrainConfig c = base.toBuilder().seed(seed).recipe(recipe).build();
                Path dir = out.resolve("java-prior-" + prior + "-seed" + seed);
                long t0 = System.nanoTime();
                TrainingRun.Result r;
                try (PrintStream log = new PrintStream(Files.newOutputStream(out.resolve(dir.getFileName() + ".log")), true,
                        StandardCharsets.UTF_8)) {
                    r = TrainingRun.train(c, index, dir, false, log);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                for (EpochRow e : r.epochs()) {
                    System.out.printf(Locale.ROOT, "java epoch=%d seed=%d prior=%s val_dsc=%.4f train_loss=%.4f%n", e.epoch(),
                            seed, prior, e.valDsc(), e.trainLoss());
                }
                System.out.printf(Locale.ROOT, "java test seed=%d prior=%s test_dsc=%.4f seconds=%.1f%n", seed, prior,
                        r.test().metrics(calfkit.metrics.Reduction.POOLED).get("dsc"), seconds);
            }
        }
    }

    private static void write(Path file, List<Slice> slices) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (Slice s : slices) {
            sb.append(s.image()).append('\t').append(s.mask()).append('\n');
        }
        Files.writeString(file, sb.toString());
    }
}
