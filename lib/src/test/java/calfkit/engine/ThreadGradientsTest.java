package calfkit.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Gradients collected on several threads at once, each its own (DJL's collector allows one in the process). */
class ThreadGradientsTest {

    /** d/dx of sum(k · x²) on one thread, collected while the other threads collect theirs. */
    private static float[] gradient(float k, float[] x, CyclicBarrier together) throws Exception {
        ThreadGradients.outsideTraining();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(x);
            a.setRequiresGradient(true);
            try (ThreadGradients gc = new ThreadGradients()) {
                NDArray y = a.mul(a).mul(m.create(k)).sum();
                together.await();  // every thread holds an open collector here
                gc.backward(y);
            }
            return a.getGradient().toFloatArray();
        }
    }

    @Test
    void eachThreadGetsItsOwnGradientWhileOthersCollect() throws Exception {
        int threads = 3;
        float[] x = {1f, -2f, 0.5f};
        CyclicBarrier together = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<float[]>> grads = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                float k = t + 1;
                grads.add(pool.submit(() -> gradient(k, x, together)));
            }
            for (int t = 0; t < threads; t++) {
                float[] g = grads.get(t).get();
                for (int i = 0; i < x.length; i++) {
                    assertEquals(2 * (t + 1) * x[i], g[i], 1e-6, "thread " + t + ", element " + i);  // 2·k·x
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void leavesTheThreadsGradModeAsItFoundIt() {
        ThreadGradients.outsideTraining();
        try (ThreadGradients gc = new ThreadGradients()) {
            assertTrue(ai.djl.pytorch.jni.JniUtils.isGradMode());
        }
        assertFalse(ai.djl.pytorch.jni.JniUtils.isGradMode());
    }
}
