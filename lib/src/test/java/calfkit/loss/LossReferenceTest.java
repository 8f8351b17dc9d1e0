package calfkit.loss;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import calfkit.testing.PythonReference;

/**
 * Every loss, value and gradient with respect to the logits, against the independent PyTorch reference
 * (lib/src/test/python/reference.py) on ordinary inputs and on the edge cases: logits of ±100, all-empty
 * and all-full targets, a batch of one.
 */
@Tag("reference")
class LossReferenceTest {

    private static final Gson GSON = new Gson();
    private static NDManager manager;

    /** name → (loss, reference parameters). */
    private static final Map<String, Supplier<SegmentationLoss>> LOSSES = new LinkedHashMap<>();
    private static final Map<String, JsonObject> PARAMS = new LinkedHashMap<>();

    private record Input(String name, long[] shape, float[] logits, float[] target) {
    }

    private static final List<Input> INPUTS = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        add("fisher", "fisher", FisherLoss::new, "{}");
        add("logit", "logit", LogitLoss::new, "{}");
        add("arcsine", "arcsine", ArcsineLoss::new, "{}");
        add("log10", "log10", Log10Loss::new, "{}");
        add("ln", "ln", NaturalLogLoss::new, "{}");
        add("bce", "bce", BceLoss::new, "{}");
        add("bce-log10", "bce-log10", ScaledBceLoss::new, "{}");
        add("dice", "dice", DiceLoss::new, "{}");
        add("dice-per-image", "dice", () -> new DiceLoss(0.5f, true), "{\"smooth\":0.5,\"perImage\":true}");
        add("iou", "iou", JaccardLoss::new, "{}");
        add("tversky", "tversky", TverskyLoss::new, "{\"alpha\":0.3,\"beta\":0.7}");
        add("tversky-per-image", "tversky", () -> new TverskyLoss(0.6f, 0.4f, 1f, true),
                "{\"alpha\":0.6,\"beta\":0.4,\"perImage\":true}");
        add("focal", "focal", FocalLoss::new, "{\"alpha\":0.25,\"gamma\":2.0}");
        add("focal-no-alpha", "focal", () -> new FocalLoss(null, 3f), "{\"noAlpha\":true,\"gamma\":3.0}");
        add("bce-dice", "bce-dice", BceDiceLoss::new, "{}");
        add("afl", "afl", AdaptiveFocalLoss::new, "{}");
        add("afl-alpha-gmsa", "afl", () -> new AdaptiveFocalLoss(true, false, true), "{\"switches\":[true,false,true]}");
        add("afl-gva-gmsa", "afl", () -> new AdaptiveFocalLoss(false, true, true), "{\"switches\":[false,true,true]}");
        add("boundary-term", "boundary", () -> new BoundaryLoss(new DiceLoss(), 1, 0, 1), "{}");
        add("modified-boundary", "modified-boundary", ModifiedBoundaryLoss::new, "{\"epsilon\":1.0}");
        add("generalised-dice", "gdice", GeneralisedDiceLoss::new, "{}");
        // The CALF authors' conventions, against their formulas (loss_functions.py, _bce_dice_loss) in the helper.
        add("authors dice", "authors-dice", DiceLoss::authors, "{}");
        add("authors iou", "authors-iou", JaccardLoss::authors, "{}");
        add("authors tversky", "authors-tversky", TverskyLoss::authors, "{}");
        add("authors focal", "authors-focal", FocalLoss::authors, "{}");
        add("authors bce-dice (ComboLoss)", "authors-combo", BceDiceLoss::authors, "{}");
        add("authors CALF's bce-dice branch", "authors-calf-bce-dice", BceDiceLoss::authorsCalfBranch, "{}");
        // CALF per batch as their AdaptiveDistributionLoss, end to end: contour areas, moments, branch, transform.
        add("authors calf", "authors-calf", CalfLoss::authors, "{}");

        Random random = new Random(7);
        long[] shape = {2, 1, 4, 4};
        int n = 32;
        float[] logits = new float[n];
        float[] target = new float[n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) (3 * random.nextGaussian());
            target[i] = random.nextDouble() < 0.3 ? 1 : 0;
        }
        INPUTS.add(new Input("random", shape, logits, target));
        float[] extreme = new float[n];
        for (int i = 0; i < n; i++) {
            extreme[i] = (i % 2 == 0 ? 100f : -100f) * (i % 3 == 0 ? -1 : 1);
        }
        INPUTS.add(new Input("logits ±100", shape, extreme, target));
        INPUTS.add(new Input("all-empty target", shape, logits, new float[n]));
        float[] full = new float[n];
        java.util.Arrays.fill(full, 1f);
        INPUTS.add(new Input("all-full target", shape, logits, full));
        INPUTS.add(new Input("batch of one", new long[] {1, 1, 4, 4}, java.util.Arrays.copyOf(logits, 16),
                java.util.Arrays.copyOf(target, 16)));
    }

    private static void add(String id, String refName, Supplier<SegmentationLoss> loss, String params) {
        LOSSES.put(id, loss);
        JsonObject p = GSON.fromJson(params, JsonObject.class);
        p.addProperty("__loss", refName);
        PARAMS.put(id, p);
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /**
     * The authors' region-specific CALF against their forward re-typed in the helper (OpenCV contour areas, SciPy
     * moments), on 4 masks of 16 × 16 cut into 4 × 4 regions of 4 × 4 pixels: blobs, holes, empty regions.
     */
    @Test
    void regionSpecificCalfMatchesTheAuthorsForward() {
        Random random = new Random(3);
        long[] shape = {4, 1, 16, 16};
        int n = 4 * 256;
        float[] logits = new float[n];
        float[] target = new float[n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) (2 * random.nextGaussian());
            int b = i / 256;
            int yy = i % 256 / 16;
            int xx = i % 16;
            double r2 = Math.pow(yy - 5 - 2 * b, 2) + Math.pow(xx - 6 - b, 2);
            target[i] = r2 <= 9 + 4 * b && r2 > (b == 3 ? 1 : -1) ? 1 : 0;  // discs of growing size, one a ring
        }
        JsonObject c = new JsonObject();
        c.addProperty("id", "region");
        c.addProperty("loss", "region-calf");
        c.add("params", new JsonObject());
        c.add("shape", GSON.toJsonTree(shape));
        c.add("logits", GSON.toJsonTree(logits));
        c.add("target", GSON.toJsonTree(target));
        JsonArray cases = new JsonArray();
        cases.add(c);
        JsonObject request = new JsonObject();
        request.add("losses", cases);
        check("region CALF", new RegionSpecificCalfLoss(), new Input("discs", shape, logits, target),
                PythonReference.run(request).getAsJsonObject("region"));
    }

    /** One case per loss and input (25 × 5), each reported on its own; one PyTorch run computes them all. */
    @TestFactory
    List<DynamicTest> valuesAndGradientsMatchPyTorch() {
        JsonArray cases = new JsonArray();
        for (String id : LOSSES.keySet()) {
            for (Input in : INPUTS) {
                JsonObject c = new JsonObject();
                c.addProperty("id", id + " / " + in.name());
                c.addProperty("loss", PARAMS.get(id).get("__loss").getAsString());
                JsonObject params = PARAMS.get(id).deepCopy();
                params.remove("__loss");
                c.add("params", params);
                c.add("shape", GSON.toJsonTree(in.shape()));
                c.add("logits", GSON.toJsonTree(in.logits()));
                c.add("target", GSON.toJsonTree(in.target()));
                cases.add(c);
            }
        }
        JsonObject request = new JsonObject();
        request.add("losses", cases);
        JsonObject reference = PythonReference.run(request);
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Supplier<SegmentationLoss>> e : LOSSES.entrySet()) {
            for (Input in : INPUTS) {
                String id = e.getKey() + " / " + in.name();
                tests.add(DynamicTest.dynamicTest(id, () -> check(id, e.getValue().get(), in, reference.getAsJsonObject(id))));
            }
        }
        return tests;
    }

    private static void check(String id, SegmentationLoss lossFunction, Input in, JsonObject ref) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(in.logits(), new Shape(in.shape()));
            NDArray y = m.create(in.target(), new Shape(in.shape()));
            x.setRequiresGradient(true);
            float value;
            float[] grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = lossFunction.fromLogits(x, y);
                value = loss.getFloat();
                gc.backward(loss);
                grad = x.getGradient().toFloatArray();
            }
            double expected = ref.get("value").getAsDouble();
            assertTrue(Float.isFinite(value), id + ": value " + value);
            assertEquals(expected, value, 1e-5 + 1e-5 * Math.abs(expected), id);
            float[] refGrad = GSON.fromJson(ref.get("grad"), float[].class);
            double scale = 0;
            for (float g : refGrad) {
                scale = Math.max(scale, Math.abs(g));
            }
            for (int i = 0; i < grad.length; i++) {
                assertTrue(Float.isFinite(grad[i]), id + ": gradient " + i + " = " + grad[i]);
                assertEquals(refGrad[i], grad[i], 1e-7 + 1e-4 * scale, id + ": gradient " + i);
            }
        }
    }
}
