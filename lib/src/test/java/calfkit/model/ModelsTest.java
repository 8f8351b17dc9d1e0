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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import calfkit.testing.PythonReference;

@Tag("training")
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

    /** The authors' variants have their networks' trainable parameters, counted from their layers in PyTorch. */
    @Test
    void theAuthorsArchitecturesHaveTheirParameterCounts() {
        JsonObject request = new JsonObject();
        JsonArray cases = new JsonArray();
        JsonObject c = new JsonObject();
        c.addProperty("id", "counts");
        cases.add(c);
        request.add("authors_params", cases);
        JsonObject counts = PythonReference.run(request).getAsJsonObject("counts");
        for (String name : List.of("unet-authors", "deeplabv3-authors", "fpn-authors")) {
            try (NDManager m = NDManager.newBaseManager()) {
                Block b = Models.create(name, Models.Size.PAPER);
                b.initialize(m, DataType.FLOAT32, new Shape(2, 1, 64, 64));
                long trainable = 0;
                for (Pair<String, Parameter> p : b.getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        trainable += p.getValue().getArray().size();
                    }
                }
                assertEquals(counts.get(name).getAsLong(), trainable, name);
            }
        }
    }

    /**
     * {@link Initialisation#PYTORCH} draws each convolution's weights and bias as PyTorch's layers do when built: the
     * bounds come from torch ({@code nn.Conv2d} / {@code nn.ConvTranspose2d} of the same shapes, fan-in and gain by
     * {@code torch.nn.init}), and every layer's values lie within them and spread as a uniform of that width.
     */
    @Test
    void pytorchInitialisationDrawsWithinTorchsBounds() {
        for (String name : List.of("unet-authors", "fpn-authors")) {
            try (NDManager m = NDManager.newBaseManager()) {
                Block b = Models.create(name, Models.Size.QUICK);
                b.initialize(m, DataType.FLOAT32, new Shape(2, 1, 32, 32));
                Initialisation.resetAsPyTorch(b, m);
                List<Block> layers = new java.util.ArrayList<>();
                convolutions(b, layers);
                JsonArray specs = new JsonArray();
                for (Block layer : layers) {
                    JsonObject spec = new JsonObject();
                    if (layer instanceof UpConv2x2 up) {
                        spec.addProperty("kind", "convT");
                        spec.addProperty("in", upWeight(up).getShape().get(1));
                        spec.addProperty("out", up.filters());
                        spec.addProperty("k", 2);
                        spec.addProperty("bias", true);
                    } else {
                        Shape w = layer.getParameters().get("weight").getArray().getShape();
                        spec.addProperty("kind", "conv");
                        spec.addProperty("in", w.get(1));
                        spec.addProperty("out", w.get(0));
                        spec.addProperty("k", w.get(2));
                        spec.addProperty("bias", layer.getParameters().get("bias") != null);
                    }
                    specs.add(spec);
                }
                JsonObject request = new JsonObject();
                JsonArray cases = new JsonArray();
                JsonObject c = new JsonObject();
                c.addProperty("id", "bounds");
                c.add("layers", specs);
                cases.add(c);
                request.add("torch_init", cases);
                JsonArray bounds = PythonReference.run(request).getAsJsonArray("bounds");
                assertTrue(layers.size() > 5, name + ": " + layers.size() + " convolutions");
                for (int i = 0; i < layers.size(); i++) {
                    JsonObject expected = bounds.get(i).getAsJsonObject();
                    Block layer = layers.get(i);
                    String what = name + " layer " + i + " " + specs.get(i);
                    NDArray w = layer instanceof UpConv2x2 up ? upWeight(up) : layer.getParameters().get("weight").getArray();
                    assertDrawnWithin(w, expected.get("weight").getAsDouble(), what + " weight");
                    Parameter bias = layer.getParameters().get("bias");
                    if (bias != null) {
                        assertDrawnWithin(bias.getArray(), expected.get("bias").getAsDouble(), what + " bias");
                    }
                }
            }
        }
    }

    private static NDArray upWeight(UpConv2x2 up) {
        return up.getChildren().get(0).getValue().getParameters().get("weight").getArray();
    }

    private static void convolutions(Block b, List<Block> out) {
        if (b instanceof UpConv2x2 || b instanceof ai.djl.nn.convolutional.Conv2d) {
            out.add(b);
            return;
        }
        for (Pair<String, Block> child : b.getChildren()) {
            convolutions(child.getValue(), out);
        }
    }

    /** Values within ±bound, and, for a large array, spread as U(−bound, bound): sd bound/√3, reaching 90 % of it. */
    private static void assertDrawnWithin(NDArray a, double bound, String what) {
        float[] v = a.toFloatArray();
        double max = 0;
        double sq = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
            sq += (double) x * x;
        }
        assertTrue(max <= bound * (1 + 1e-6), what + ": |value| " + max + " beyond torch's bound " + bound);
        if (v.length >= 1000) {
            double sd = Math.sqrt(sq / v.length);
            assertEquals(bound / Math.sqrt(3), sd, 0.06 * bound / Math.sqrt(3), what + ": sd of " + v.length + " values");
            assertTrue(max >= 0.9 * bound, what + ": largest |value| " + max + " of bound " + bound);
        }
    }

    /** UpConv2x2 is PyTorch's conv_transpose2d(kernel 2, stride 2) with its weight W[k, c, a, b] laid out as filters c·4 + a·2 + b. */
    @Test
    void upConvIsATransposedConvolution() {
        int cin = 3;
        int cout = 2;
        java.util.Random r = new java.util.Random(5);
        float[] x = new float[2 * cin * 3 * 4];
        float[] w = new float[cin * cout * 4];
        float[] bias = {0.25f, -0.5f};
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        JsonObject c = new JsonObject();
        c.addProperty("id", "up");
        c.add("x", new Gson().toJsonTree(x));
        c.add("shape", new Gson().toJsonTree(new int[] {2, cin, 3, 4}));
        c.add("w", new Gson().toJsonTree(w));
        c.add("wshape", new Gson().toJsonTree(new int[] {cin, cout, 2, 2}));
        c.add("b", new Gson().toJsonTree(bias));
        JsonArray cases = new JsonArray();
        cases.add(c);
        JsonObject request = new JsonObject();
        request.add("upconv", cases);
        float[] expected = new Gson().fromJson(PythonReference.run(request).getAsJsonObject("up").get("out"), float[].class);
        try (NDManager m = NDManager.newBaseManager()) {
            UpConv2x2 up = new UpConv2x2(cout);
            Shape in = new Shape(2, cin, 3, 4);
            up.initialize(m, DataType.FLOAT32, in);
            float[] filters = new float[4 * cout * cin];          // (4·C_out, C_in, 1, 1)
            for (int k = 0; k < cin; k++) {
                for (int o = 0; o < cout; o++) {
                    for (int ab = 0; ab < 4; ab++) {
                        filters[(o * 4 + ab) * cin + k] = w[(k * cout + o) * 4 + ab];
                    }
                }
            }
            for (Pair<String, Parameter> p : up.getParameters()) {
                p.getValue().getArray().set(p.getKey().equals("bias") ? bias : filters);
            }
            float[] got = up.forward(new ParameterStore(m, false), new NDList(m.create(x, in)), false).head().toFloatArray();
            assertEquals(expected.length, got.length);
            for (int i = 0; i < got.length; i++) {
                assertEquals(expected[i], got[i], 1e-5, "output " + i);
            }
        }
    }

    @Test
    void unknownNamesListTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.create("segnet", Models.Size.QUICK));
        assertEquals("unknown model 'segnet'; expected one of unet, deeplabv3, deeplabv3plus, fpn, unet-authors, "
                + "deeplabv3-authors, fpn-authors", e.getMessage());
        assertEquals("fpn-authors", Models.normalise("FPN_authors"));
        assertEquals("unet-authors", Models.normalise("U-Net (authors')"));
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
        assertEquals(List.of("unet", "deeplabv3", "deeplabv3plus", "fpn", "unet-authors", "deeplabv3-authors",
                "fpn-authors"), Models.NAMES);
        for (Models.Architecture a : Models.Architecture.values()) {
            assertEquals(a, Models.architecture(a.label()), "the label " + a.label() + " names it too");
            assertEquals(a.label(), Models.label(a.id()));
        }
        assertEquals("SegNet", Models.label("SegNet"), "an unknown name stays as it is");
    }
}
