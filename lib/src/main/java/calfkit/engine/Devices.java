package calfkit.engine;

import java.util.Arrays;
import java.util.List;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Which engine and devices DJL sees, and which devices training uses: every GPU when there is one (data
 * parallel), otherwise the CPU. The kit runs DJL offline ({@code -Dai.djl.offline=true}): the PyTorch native
 * library comes from the {@code pytorch-native-*} jar on the classpath, never from a download.
 */
public final class Devices {

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
