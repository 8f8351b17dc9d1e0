package calfkit.model;

import java.util.Locale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * How a model's parameters start, before any training step: one setting, {@code calf train --init}, {@code init} in
 * a run's {@code config.json} (absent in runs saved before it existed, which started as {@link #KIT}).
 *
 * <ul>
 *   <li>{@link #KIT}: convolution and linear weights from Xavier's Gaussian, N(0, 2 / fan_in) (He et al.'s variance
 *       for ReLU networks; DJL's {@code XavierInitializer(GAUSSIAN, IN, 2)}), biases 0.</li>
 *   <li>{@link #PYTORCH}: what PyTorch's layers do when they are built ({@code reset_parameters} of
 *       {@code nn.Conv2d}, {@code nn.ConvTranspose2d}, {@code nn.Linear}), which the CALF authors' models keep (their
 *       {@code models/*.py} set no initialiser): weights from Kaiming's uniform with a = √5,
 *       U(−1/√fan_in, 1/√fan_in), and biases from the same U(−1/√fan_in, 1/√fan_in), fan_in taken from the
 *       layer's weight as PyTorch takes it: the second dimension times the kernel's size, which for a transposed
 *       convolution (weight {@code c_in × c_out × k × k}) is c_out · k² ({@link UpConv2x2} follows that). BatchNorm
 *       starts at scale 1 and shift 0 under both.</li>
 * </ul>
 * Both draw from PyTorch's generator, which the run seeds ({@code calfkit.train.RunRandom}).
 */
public enum Initialisation {
    KIT, PYTORCH;

    /** The name on the command line and in config.json: "kit", "pytorch". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The initialisation of a name.
     *
     * @param source what the value came from, for the error ("--init")
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static Initialisation parse(String value, String source) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (Initialisation i : values()) {
            if (i.label().equals(v)) {
                return i;
            }
        }
        throw new IllegalArgumentException(source + "='" + value + "' is not an initialisation; expected kit or pytorch");
    }

    /**
     * Draws PyTorch's default start into an initialised block's convolution and linear layers (every parameter of
     * type weight with two or more dimensions, and the bias beside it); other parameters are left as they are.
     */
    public static void resetAsPyTorch(Block block, NDManager manager) {
        if (block instanceof UpConv2x2 up) {
            // PyTorch's ConvTranspose2d(c_in, c_out, 2, stride=2): weight c_in × c_out × 2 × 2, so fan_in = c_out · 4.
            double bound = 1 / Math.sqrt(4.0 * up.filters());
            for (Pair<String, Parameter> p : up.getParameters()) {
                redraw(p.getValue(), bound, manager);
            }
            return;
        }
        Parameter weight = null;
        Parameter bias = null;
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.getType() == Parameter.Type.WEIGHT && parameter.getArray().getShape().dimension() >= 2) {
                weight = parameter;
            } else if (parameter.getType() == Parameter.Type.BIAS) {
                bias = parameter;
            }
        }
        if (weight != null) {
            Shape s = weight.getArray().getShape();
            long fanIn = s.get(1) * (s.dimension() > 2 ? s.slice(2).size() : 1);
            double bound = 1 / Math.sqrt(fanIn);
            redraw(weight, bound, manager);
            if (bias != null) {
                redraw(bias, bound, manager);
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            resetAsPyTorch(child.getValue(), manager);
        }
    }

    private static void redraw(Parameter parameter, double bound, NDManager manager) {
        NDArray array = parameter.getArray();
        try (NDArray drawn = manager.randomUniform((float) -bound, (float) bound, array.getShape(), array.getDataType(),
                array.getDevice())) {
            array.set(drawn.toByteBuffer());
        }
    }
}
