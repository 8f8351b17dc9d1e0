package calfkit.engine;

import java.util.Arrays;
import java.util.List;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Which engine and devices DJL sees, and which devices training uses: every GPU when there is one (data
 * parallel), otherwise the CPU. The kit runs DJL offline ({@code -Dai.djl.offline=true}): the PyTorch native
 * library comes from the {@code pytorch-native-*} jar on the classpath, never from a download.
 */
public final class Devices {

    /** The environment variable that sets how many runs a grid trains at once on the CPU ({@link #runsAtOnce}). */
    public static final String RUNS_AT_ONCE = "CALF_RUNS_AT_ONCE";

    private Devices() {
    }

    /** The devices training and evaluation run on: all GPUs, or the CPU when there is none. */
    public static List<Device> trainingDevices() {
        Engine engine = Engine.getInstance();
        int gpus = engine.getGpuCount();
        return gpus > 0 ? Arrays.asList(engine.getDevices(gpus)) : List.of(Device.cpu());
    }

    /** True when at least one GPU is visible to the engine. */
    public static boolean hasGpu() {
        return Engine.getInstance().getGpuCount() > 0;
    }

    /**
     * On the CPU, PyTorch's operations from now on on one thread each ({@code torch.set_num_threads(1)}): a run's
     * arithmetic is then the same on every machine, whatever its cores (with more threads a convolution's sums are
     * split, and so rounded, differently: on the quick phantom that moves a run's test DSC in the third decimal),
     * and a grid uses the cores by training several runs at once ({@code calfkit.experiments.Experiments}), which
     * on 2 cores trains about 1.3 times as many runs an hour as one run on both. Nothing to do on a GPU.
     */
    public static void oneThreadPerRun() {
        if (!hasGpu() && JniUtils.getNumThreads() != 1) {
            JniUtils.setNumThreads(1);
        }
    }

    /** How many runs a grid trains at once: 1 on a GPU; on the CPU {@code CALF_RUNS_AT_ONCE}, else the cores (at most 4). */
    public static int runsAtOnce() {
        if (hasGpu()) {
            return 1;
        }
        String value = System.getenv(RUNS_AT_ONCE);
        if (value == null || value.isBlank()) {
            return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(RUNS_AT_ONCE + "='" + value + "' is not a number of runs; expected a whole "
                + "number ≥ 1 (how many runs a grid trains at once on the CPU)");
    }

    /** One line: engine, version, devices and whether DJL runs offline. */
    public static String describe() {
        Engine engine = Engine.getInstance();
        return engine.getEngineName() + " " + engine.getVersion()
                + " | devices " + trainingDevices()
                + " | GPUs " + engine.getGpuCount()
                + " | offline " + Boolean.getBoolean("ai.djl.offline")
                + " | CPU threads " + Runtime.getRuntime().availableProcessors();
    }
}
