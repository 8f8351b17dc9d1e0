package calfkit.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;

import calfkit.data.RunData;
import calfkit.data.Slice;
import calfkit.loss.SegmentationLoss;
import calfkit.model.Initialisation;
import calfkit.model.Models;
import calfkit.model.SegmentationBlock;

/**
 * A run's model: its architecture built and initialised ({@link Initialisation}: the kit's or PyTorch's start),
 * and saved parameters loaded into it when named; a resumed run's model from its checkpoints ({@link #startingModel}).
 */
public final class ModelLoader {

    private ModelLoader() {
    }

    /**
     * A model of the config's architecture, initialised for an input shape and, when {@code parameters} names a
     * saved {@code model-NNNN.params} file ({@link Checkpoints#epoch}, {@link Checkpoints#best}) or a
     * folder of them (the newest is taken), loaded with it. Parameters are loaded before any trainer is made: a DJL
     * trainer keeps the parameter arrays it found when it was initialised.
     *
     * @throws IOException naming the file when it is missing, or does not load into the architecture (truncated,
     *                     or saved by another architecture)
     */
    public static Model newModel(TrainConfig c, Device device, Shape inputShape, Path parameters, Path runDir)
            throws IOException {
        // The initial weights are drawn with the generator seeded with the run's seed, alone among the runs that
        // train at once (RunRandom); a model that is loaded next draws them too, and they are overwritten.
        Model model = RunRandom.initialise(c.seed(), () -> {
            Model m = Model.newInstance(c.model(), device);
            Block block = Models.create(c.model(), c.size());
            block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                    XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
            m.setBlock(block);
            block.initialize(m.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, inputShape);
            if (c.effectiveInit() == Initialisation.PYTORCH) {
                Initialisation.resetAsPyTorch(block, m.getNDManager());
            }
            return m;
        });
        if (parameters != null && Files.isDirectory(parameters)) {
            parameters = Checkpoints.newestIn(parameters);
        }
        if (parameters != null) {
            if (!Files.isRegularFile(parameters)) {
                model.close();
                throw new IOException(parameters + ": missing; expected the parameters saved by calf train");
            }
            try {
                requireParameterFile(parameters);
                model.load(parameters.getParent(), "model", Map.of("epoch", Checkpoints.epochOf(parameters)));
            } catch (MalformedModelException | IOException | RuntimeException e) {
                model.close();
                throw new IOException(parameters + " (" + Files.size(parameters) + " bytes): the checkpoint does not fit a "
                        + Models.label(c.model()) + " (" + c.size().name().toLowerCase() + "), the architecture "
                        + runDir.resolve(RunFolder.CONFIG) + " names: it is truncated or damaged, or was saved by "
                        + "another architecture (" + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
                        + ")", e);
            }
        }
        return model;
    }

    /**
     * The model a run trains: new for a new run; for a resumed run, loaded (once: the load is the check) from its
     * last recorded epoch's checkpoint when it loads, otherwise from the best epoch's parameters when they load, or
     * new (the run starts again), the run taken back to that epoch ({@link RunFolder#rollBackTo}: the rows of the
     * epochs trained again are kept beside metrics.csv) and said so in the log. {@code finished} is cut to the
     * epochs kept.
     */
    static Model startingModel(RunFolder folder, TrainConfig c, Device device, Shape inputShape, List<EpochRow> finished,
                               PrintStream log) throws IOException {
        if (finished.isEmpty()) {
            return newModel(c, device, inputShape, null, folder.dir());
        }
        int last = finished.size();
        List<String> why = new ArrayList<>();
        List<Path> candidates = new ArrayList<>(List.of(folder.checkpoints().epoch(last)));
        try {
            Path best = folder.checkpoints().best();
            if (Checkpoints.epochOf(best) <= last) {  // the best epoch's own copy: the same as epoch N's when N was best
                candidates.add(best);
            }
        } catch (IOException none) {
            // no best parameters saved: the run starts again if the checkpoint does not load
        }
        for (Path p : candidates) {
            Model loaded;
            try {
                loaded = newModel(c, device, inputShape, p, folder.dir());
            } catch (IOException e) {
                why.add(e.getMessage());
                continue;
            }
            int epoch = Checkpoints.epochOf(p);
            if (epoch < last) {
                try {
                    rollBack(folder, epoch, last, why, finished, log);
                } catch (IOException | RuntimeException e) {
                    loaded.close();
                    throw e;
                }
            }
            return loaded;
        }
        rollBack(folder, 0, last, why, finished, log);
        return newModel(c, device, inputShape, null, folder.dir());
    }

    private static void rollBack(RunFolder folder, int epoch, int last, List<String> why, List<EpochRow> finished,
                                 PrintStream log) throws IOException {
        Path aside = folder.rollBackTo(epoch);
        finished.subList(epoch, finished.size()).clear();
        log.printf("  WARNING: the checkpoint of epoch %d cannot be used (%s); resuming from %s: epochs %d–%d train "
                + "again, their first rows are kept in %s%n", last, String.join("; ", why),
                epoch == 0 ? "the start" : "epoch " + epoch + " (the best epoch's parameters)", epoch + 1, last, aside);
    }

    /**
     * The prior bias ({@link Recipe#KIT}): the head's bias at the log-odds of the probability the loss starts from
     * ({@link SegmentationLoss#startingProbability}): the training sample's foreground fraction, or 0.1 for the
     * overlap losses.
     */
    static void setPriorBias(Model model, SegmentationLoss loss, RunData data, PrintStream log) {
        double pi = foregroundFraction(data.sample().slices());
        double p = loss.startingProbability(pi);
        float bias = ((SegmentationBlock) model.getBlock()).setPriorBias(p);
        log.printf(Locale.ROOT, "  prior bias: foreground fraction %.4f of the training pixels, head bias %.3f%s%n", pi, bias,
                p == pi ? "" : String.format(Locale.ROOT, " (probability %.2f, where an overlap loss starts)", p));
    }

    /** The fraction of foreground pixels in a set of slices (their index areas over their pixels). */
    static double foregroundFraction(List<Slice> slices) {
        double fg = 0;
        double all = 0;
        for (Slice s : slices) {
            fg += s.area();
            all += (double) s.width() * s.height();
        }
        return all == 0 ? 0 : fg / all;
    }

    /** What every parameter file DJL writes begins with. */
    private static final byte[] MAGIC = "DJL@".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Refuses a file that does not begin as DJL's parameter files do: DJL 0.35 loads such a file (100 zero bytes,
     * measured) without an error and leaves the model's initial weights in place, so a damaged checkpoint would
     * be trained on, or tested, as if it were the run's.
     */
    static void requireParameterFile(Path parameters) throws IOException {
        byte[] head = new byte[MAGIC.length];
        int n;
        try (java.io.InputStream in = Files.newInputStream(parameters)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n < head.length || !java.util.Arrays.equals(head, MAGIC)) {
            throw new IOException("it does not begin with DJL's mark 'DJL@'");
        }
    }
}
