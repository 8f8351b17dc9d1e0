package calfkit.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import calfkit.config.Protocol;
import calfkit.image.DistanceMaps;
import calfkit.stats.EmptyMasks;

/**
 * Every loss's gradient is the same when the JVM collects garbage between the forward and the backward pass. DJL's
 * {@code NDArray.mul(Number)} and its kind put the scalar on a Java direct buffer that autograd keeps for the
 * backward pass but the JVM may free (SegmentationLoss's {@code times}); here a collection runs and freed native
 * memory is overwritten with 1e30 before backward, which turned d(3x)/dx into 1e30 with {@code x.mul(3f)}.
 */
@Tag("training")
class LossGradientGcTest {

    private static final int B = 4;
    private static final int H = 12;
    private static final int W = 12;

    @Test
    void aGarbageCollectionBetweenForwardAndBackwardChangesNoGradient() throws InterruptedException {
        Map<String, SegmentationLoss> losses = new LinkedHashMap<>();
        for (LossKind l : LossKind.values()) {
            if (l != LossKind.CALF) {
                losses.put(l.id(), l.create(Protocol.KIT));
                losses.put(l.id() + "-authors", l.create(Protocol.AUTHORS));
            }
        }
        losses.put("calf-per-batch", CalfLoss.perBatch(EmptyMasks.INCLUDE));
        losses.put("calf-authors", CalfLoss.authors());
        Random r = new Random(5);
        float[] logits = new float[B * H * W];
        float[] masks = new float[B * H * W];
        for (int i = 0; i < logits.length; i++) {
            int b = i / (H * W);
            int x = i % W;
            int y = (i / W) % H;
            masks[i] = b > 0 && (x - 6) * (x - 6) + (y - 5) * (y - 5) <= b * 3 ? 1 : 0;
            logits[i] = (float) (r.nextGaussian() * 2 + (masks[i] > 0 ? 1 : -1));
        }
        float[] phi = DistanceMaps.signedBatch(masks, W, H);
        List<String> changed = new ArrayList<>();
        for (var e : losses.entrySet()) {
            float[] plain = gradient(e.getValue(), logits, masks, phi, false);
            float[] collected = gradient(e.getValue(), logits, masks, phi, true);
            for (int i = 0; i < plain.length; i++) {
                if (Math.abs(plain[i] - collected[i]) > 1e-6 * (1 + Math.abs(plain[i]))) {
                    changed.add(e.getKey() + " at " + i + ": " + plain[i] + " then " + collected[i]);
                    break;
                }
            }
        }
        assertEquals(List.of(), changed);
        assertTrue(losses.size() > 40, "every loss of the registry, both conventions: " + losses.size());
    }

    private static float[] gradient(SegmentationLoss loss, float[] logits, float[] masks, float[] phi, boolean collect)
            throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(B, 1, H, W);
            NDArray x = m.create(logits, shape);
            x.setRequiresGradient(true);
            NDList labels = new NDList(m.create(masks, shape));
            if (loss.needsDistanceMaps()) {
                labels.add(m.create(phi, shape));
            }
            List<ByteBuffer> scribble = new ArrayList<>();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray value = loss.evaluate(labels, new NDList(x));
                if (collect) {
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                        Thread.sleep(20);
                    }
                    for (int i = 0; i < 20000; i++) {
                        scribble.add(ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, 1e30f));
                    }
                }
                gc.backward(value);
            }
            return x.getGradient().toFloatArray();
        }
    }
}
