package calfkit.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import calfkit.testing.PythonReference;

class ModelsTest {

    private static long parameters(Block b) {
        long n = 0;
        for (Pair<String, Parameter> p : b.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    @Test
    void everyModelMapsAnImageToLogitsOfItsSizeAndLearns() {
        for (String name : Models.NAMES) {
            try (NDManager m = NDManager.newBaseManager()) {
                Block block = Models.create(name, Models.Size.QUICK);
                block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
                Shape in = new Shape(2, 1, 64, 64);
                block.initialize(m, DataType.FLOAT32, in);
                assertEquals(new Shape(2, 1, 64, 64), block.getOutputShapes(new Shape[] {in})[0], name);
                NDArray x = m.randomUniform(0, 1, in);
                ParameterStore ps = new ParameterStore(m, false);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = block.forward(ps, new NDList(x), true).head();
                    assertEquals(in, y.getShape(), name);
                    gc.backward(y.mean());
                }
                for (Pair<String, Parameter> p : block.getParameters()) {
                    if (!p.getValue().requiresGradient()) {
                        continue; // batch-norm running statistics
                    }
                    NDArray g = p.getValue().getArray().getGradient();
                    assertTrue(Float.isFinite(g.abs().sum().getFloat()), name + " " + p.getKey());
                }
                assertTrue(parameters(block) > 1000, name);
            }
        }
    }

    @Test
    void paperSizedUNetHasRonnebergersParameterCount() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block unet = Models.create("U-Net", Models.Size.PAPER);
            unet.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32));
            // Ronneberger's U-Net has about 31 M parameters; this variant (bilinear up + 3×3 conv, BN) about the same.
            long n = parameters(unet);
            assertTrue(n > 25_000_000 && n < 40_000_000, "parameters: " + n);
        }
    }

    @Test
    void unknownNamesListTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.create("segnet", Models.Size.QUICK));
        assertEquals("unknown model 'segnet'; expected one of unet, deeplabv3, deeplabv3plus, fpn", e.getMessage());
        assertEquals("deeplabv3plus", Models.normalise("DeepLabV3+"));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Models.create("unet", Models.Size.QUICK).initialize(m, DataType.FLOAT32, new Shape(1, 1, 60, 60));
            }
        });
        assertTrue(size.getMessage().contains("divisible by 8"), size.getMessage());
    }

    /**
     * Layers.resize is DJL 0.35.1's bilinear interpolation, which runs PyTorch's antialiased kernel: when
     * upsampling (every use in the kit's decoders) it equals plain bilinear with align_corners = false; when
     * shrinking it low-pass filters first. Reference: torch.nn.functional.interpolate, both ways.
     */
    @Test
    void resizeIsPyTorchsBilinearWhenUpsamplingAndAntialiasedWhenShrinking() {
        long[] shape = {1, 2, 6, 5};
        float[] x = new float[60];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.7 * i) + (i % 7) * 0.1f;
        }
        long[][] sizes = {{12, 10}, {9, 7}, {3, 2}};
        Gson gson = new Gson();
        JsonObject req = new JsonObject();
        JsonArray cases = new JsonArray();
        for (long[] size : sizes) {
            JsonObject c = new JsonObject();
            c.addProperty("id", size[0] + "x" + size[1]);
            c.add("x", gson.toJsonTree(x));
            c.add("shape", gson.toJsonTree(shape));
            c.add("size", gson.toJsonTree(size));
            cases.add(c);
        }
        req.add("resize", cases);
        JsonObject ref = PythonReference.run(req);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray in = m.create(x, new Shape(shape));
            for (long[] size : sizes) {
                float[] got = Layers.resize(in, size[0], size[1]).toFloatArray();
                JsonObject r = ref.getAsJsonObject(size[0] + "x" + size[1]);
                boolean shrinking = size[0] < shape[2];
                JsonArray want = r.getAsJsonArray(shrinking ? "antialiased" : "plain");
                String what = size[0] + "x" + size[1];
                assertEquals(want.size(), got.length, what);
                assertTrue(maxDifference(want, got) <= 1e-5, what + ": " + maxDifference(want, got));
                if (shrinking) { // and there the two kernels differ: the case tells them apart
                    double plain = maxDifference(r.getAsJsonArray("plain"), got);
                    assertTrue(plain > 1e-2, "antialiasing changes a shrunk image, got max difference " + plain);
                } else { // upsampling: the antialiased kernel gives the same values
                    assertTrue(maxDifference(r.getAsJsonArray("antialiased"), got) <= 1e-5, what);
                }
            }
            assertSame(in, Layers.resize(in, 6, 5), "same size: no copy");
        }
    }

    private static double maxDifference(JsonArray want, float[] got) {
        double max = 0;
        for (int i = 0; i < got.length; i++) {
            max = Math.max(max, Math.abs(want.get(i).getAsFloat() - got[i]));
        }
        return max;
    }

    @Test
    void theRegistryNamesEachArchitectureOnceWithItsLabel() {
        assertEquals(List.of("unet", "deeplabv3", "deeplabv3plus", "fpn"), Models.NAMES);
        for (Models.Architecture a : Models.Architecture.values()) {
            assertEquals(a, Models.architecture(a.label()), "the label " + a.label() + " names it too");
            assertEquals(a.label(), Models.label(a.id()));
        }
        assertEquals("SegNet", Models.label("SegNet"), "an unknown name stays as it is");
    }
}
