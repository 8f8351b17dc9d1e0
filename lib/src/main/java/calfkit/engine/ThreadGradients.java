package calfkit.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * A gradient collector for the calling thread only, so that several runs can train at once in one JVM
 * ({@code calfkit.experiments.Experiments} trains a grid's runs side by side). DJL 0.35.1's
 * {@code PtGradientCollector} refuses a second collector anywhere in the process ("Only one can be collecting at a
 * time", a static flag), although what it switches, PyTorch's grad mode, is per thread. This one does what
 * {@code PtGradientCollector} does, without the flag: grad mode on while it is open (then back to what it was),
 * {@link #backward} as {@code torch.autograd.backward(target, ones)}; like DJL's it leaves the gradients to the
 * optimiser's step, which overwrites them.
 */
public final class ThreadGradients implements GradientCollector {

    static {
        Engine.getInstance();  // loads PyTorch's native library, which JniUtils calls into
    }

    private final boolean wasOn;

    /** Opens the collector: PyTorch's grad mode on for this thread. */
    public ThreadGradients() {
        wasOn = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /**
     * Grad mode off for the calling thread, as DJL leaves the thread that starts the engine: a thread PyTorch has
     * not seen before starts with it on, and a model's in-place set-up (the head's prior bias) is refused there.
     */
    public static void outsideTraining() {
        JniUtils.setGradMode(false);
    }

    @Override
    public void backward(NDArray target) {
        NDArray ones = target.getManager().ones(target.getShape(), target.getDataType()).toDevice(target.getDevice(), false);
        JniUtils.backward((PtNDArray) target, (PtNDArray) ones, false, false);
    }

    @Override
    public void zeroGradients() {
        throw new UnsupportedOperationException("the optimiser's step overwrites the gradients (as with DJL's collector)");
    }

    @Override
    public void close() {
        if (!wasOn) {
            JniUtils.setGradMode(false);
        }
    }
}
