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

    /**
     * The environment variable that caps the CPU instructions of oneDNN, PyTorch's CPU convolution library
     * (read when the native library loads, so a launcher sets it: {@code data-scripts/calf}, the Jupyter kernel's
     * spec, the tests' Surefire configuration, {@code environment/benchmarks/run.sh}). The kit's launchers set
     * {@value #CPU_ISA}: on an AMD EPYC with AVX-512 (2026-11-24) oneDNN's AVX-512 kernels gave NaN in a quick FPN's
     * convolution gradients in 1 of 20 backward passes at batch 8 × 48² (about half at 2 × 64²: ModelsTest), which
     * poisoned a run's weights after one update, and different numbers from AVX2 machines otherwise (FPN BCE ratio
     * 0.1 seed 2: test DSC 0.8254 against 0.8431); capped at AVX2, none in 20 passes and the same 0.8431.
     */
    public static final String CPU_ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

    /** The value the kit's launchers give {@link #CPU_ISA_VARIABLE}. */
    public static final String CPU_ISA = "AVX2";

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
                + " | CPU threads " + Runtime.getRuntime().availableProcessors()
                + " | " + cpuInstructions();
    }

    /** Whether {@link #CPU_ISA_VARIABLE} caps oneDNN's CPU instructions in this process. */
    public static boolean cpuInstructionsCapped() {
        String isa = System.getenv(CPU_ISA_VARIABLE);
        return isa != null && !isa.isBlank();
    }

    /**
     * What caps oneDNN's CPU instructions: "oneDNN instructions: AVX2 (ONEDNN_MAX_CPU_ISA)", or, when nothing does (a
     * JVM not started by the kit's launchers), a warning that says why the launchers set it.
     */
    public static String cpuInstructions() {
        if (cpuInstructionsCapped()) {
            return "oneDNN instructions: " + System.getenv(CPU_ISA_VARIABLE).trim() + " (" + CPU_ISA_VARIABLE + ")";
        }
        return "WARNING: " + CPU_ISA_VARIABLE + " is not set, so oneDNN uses the CPU's widest instructions; the kit's "
                + "launchers set " + CPU_ISA + " (on AVX-512 CPUs oneDNN's kernels were measured to give NaN gradients "
                + "now and then, and other numbers than AVX2 machines; docs/reliability.md)";
    }
}
