package calfkit.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;

import calfkit.model.Initialisation;
import calfkit.model.Models;

/**
 * A run's model: its architecture built and initialised ({@link Initialisation}: the kit's or PyTorch's start),
 * and saved parameters loaded into it when named.
 */
public final class ModelLoader {

    private ModelLoader() {
    }

    /**
     * A model of the config's architecture, initialised for an input shape and, when {@code parameters} names a
     * saved {@code model-NNNN.params} file ({@link RunFolder#checkpoint}, {@link RunFolder#bestParameters}) or a
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
            parameters = RunFolder.newestParameters(parameters);
        }
        if (parameters != null) {
            if (!Files.isRegularFile(parameters)) {
                model.close();
                throw new IOException(parameters + ": missing; expected the parameters saved by calf train");
            }
            try {
                requireParameterFile(parameters);
                model.load(parameters.getParent(), "model", Map.of("epoch", RunFolder.epochOf(parameters)));
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
