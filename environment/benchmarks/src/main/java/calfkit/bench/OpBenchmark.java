package calfkit.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;

import calfkit.model.Layers;

/**
 * Where a training step's time goes, operation by operation: forward and backward time of each kind of layer of
 * the train-step benchmark's U-Net (batch 8, 128×128, width 16), at its shapes. environment/benchmarks/op_peer.py
 * runs the same operations in PyTorch and run.sh prints the two side by side. Each case: the input (and weight)
 * require gradients; forward = the operation plus a sum, backward = the gradient of that sum; median of REPS.
 *
 * <pre>java -Dai.djl.pytorch.num_threads=T calfkit.bench.OpBenchmark REPS</pre>
 */
public final class OpBenchmark {

    private OpBenchmark() {
    }

    public static void main(String[] args) {
        int reps = Integer.parseInt(args[0]);
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            for (Map.Entry<String, Case> c : cases(m).entrySet()) {
                double[][] t = time(m, c.getValue(), reps);
                System.out.printf("op=%s fwd_ms=%.3f bwd_ms=%.3f%n", c.getKey(), t[0][reps / 2], t[1][reps / 2]);
            }
        }
    }

    /** One operation on an input of a given shape. */
    private record Case(Shape input, UnaryOperator<NDArray> op) {
    }

    /** The cases; names and shapes match op_peer.py's. */
    private static Map<String, Case> cases(NDManager m) {
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("conv3x3_16to16_128", conv(m, 16, 16, 128));
        cases.put("conv3x3_64to64_32", conv(m, 64, 64, 32));
        cases.put("conv3x3_256to256_8", conv(m, 256, 256, 8));
        NDArray gamma = trainable(m.ones(new Shape(16)));
        NDArray beta = trainable(m.zeros(new Shape(16)));
        NDArray mean = m.zeros(new Shape(16));
        NDArray var = m.ones(new Shape(16));
        cases.put("batchnorm_16_128", new Case(new Shape(8, 16, 128, 128),
                x -> BatchNorm.batchNorm(x, mean, var, gamma, beta, 1, 0.9f, 1e-5f, true).head()));
        cases.put("relu_16_128", new Case(new Shape(8, 16, 128, 128), Activation::relu));
        cases.put("maxpool2x2_16_128", new Case(new Shape(8, 16, 128, 128),
                x -> Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false)));
        cases.put("concat_16+16_128", new Case(new Shape(8, 16, 128, 128), x -> NDArrays.concat(new NDList(x, x), 1)));
        cases.put("bilinear_x2_32_64", new Case(new Shape(8, 32, 64, 64), x -> Layers.resize(x, 128, 128)));
        return cases;
    }

    private static Case conv(NDManager m, int in, int out, int size) {
        NDArray w = trainable(m.randomUniform(-0.1f, 0.1f, new Shape(out, in, 3, 3)));
        return new Case(new Shape(8, in, size, size), x -> Conv2d.conv2d(x, w, null, new Shape(1, 1),
                new Shape(1, 1), new Shape(1, 1), 1).head());
    }

    private static NDArray trainable(NDArray a) {
        a.setRequiresGradient(true);
        return a;
    }

    /** Sorted forward and backward times (ms) of REPS repetitions after 5 warm-up ones. */
    private static double[][] time(NDManager m, Case c, int reps) {
        NDArray x = trainable(m.randomUniform(0, 1, c.input()));
        double[] fwd = new double[reps];
        double[] bwd = new double[reps];
        for (int i = -5; i < reps; i++) {
            // Outputs live in a sub-manager closed after each repetition (x is lent to it).
            try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                x.tempAttach(step);
                long t0 = System.nanoTime();
                NDArray loss = c.op().apply(x).sum();
                long t1 = System.nanoTime();
                gc.backward(loss);
                long t2 = System.nanoTime();
                if (i >= 0) {
                    fwd[i] = (t1 - t0) / 1e6;
                    bwd[i] = (t2 - t1) / 1e6;
                }
            }
        }
        Arrays.sort(fwd);
        Arrays.sort(bwd);
        return new double[][] {fwd, bwd};
    }
}
