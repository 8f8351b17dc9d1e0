package calfkit.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.Random;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import calfkit.image.EuclideanDistance;
import calfkit.testing.PythonReference;

@Tag("reference")
class MetricsTest {

    private static final Gson GSON = new Gson();

    @Test
    void theMetricRegistryNamesWhatAnEvaluationReportsInThePapersOrder() {
        Evaluation e = new Evaluation();
        e.addBatch(List.of("a"), List.of(ImageScores.of(new float[] {1, -1, 1, -1}, 0, new float[] {1, 1, 0, 0}, 0, 2, 2,
                true)));
        assertEquals(Metric.NAMES, List.copyOf(e.metrics(Reduction.POOLED).keySet()));
        assertEquals(List.of("accuracy", "dsc", "iou", "specificity", "sensitivity", "precision", "mae", "hd95"),
                Metric.NAMES);
        assertEquals(Metric.DSC, Metric.of("dsc_pooled"));
        assertEquals(Metric.DSC, Metric.of("DSC"));
        assertEquals(SeedStatistics.Bounds.POSITIVE, Metric.HD95.bounds());
        assertEquals(SeedStatistics.Bounds.UNIT, SeedStatistics.Bounds.of("dsc_per_image"));
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> Metric.of("dcs"));
        assertTrue(x.getMessage().startsWith("'dcs' is not a metric; expected one of accuracy, dsc"), x.getMessage());
        // one TP, one FP, one FN, one TN: DSC 2/4, IoU 1/3, accuracy 2/4
        Map<String, Double> m = e.metrics(Reduction.POOLED);
        assertEquals(0.5, m.get("dsc"), 1e-12);
        assertEquals(1.0 / 3, m.get("iou"), 1e-12);
        assertEquals(0.5, m.get("accuracy"), 1e-12);
    }

    @Test
    void confusionScoresByHand() {
        // 2×3 image. truth 1 1 0 / 0 0 0; logits +,−,+ / −,−,− → TP 1, FN 1, FP 1, TN 3.
        ImageScores s = ImageScores.of(new float[] {2, -1, 3, -2, -2, -2}, new float[] {1, 1, 0, 0, 0, 0}, 3, 2, false);
        assertEquals(new ImageScores(1, 1, 1, 3, 2, Double.NaN).tp(), s.tp());
        assertEquals(0.5, s.dsc(), 1e-12);            // 2/(2+1+1)
        assertEquals(1.0 / 3, s.iou(), 1e-12);
        assertEquals(0.5, s.sensitivity(), 1e-12);
        assertEquals(0.75, s.specificity(), 1e-12);
        assertEquals(0.5, s.precision(), 1e-12);
        assertEquals(4.0 / 6, s.accuracy(), 1e-12);
        assertEquals(2.0 / 6, s.mae(), 1e-12);
    }

    @Test
    void emptyMaskConventions() {
        // Empty truth, empty prediction: every ratio is 0/0 → 1.
        ImageScores none = ImageScores.of(new float[] {-1, -1, -1, -1}, new float[4], 2, 2, true);
        assertEquals(1, none.dsc());
        assertEquals(1, none.iou());
        assertEquals(1, none.sensitivity());
        assertEquals(1, none.precision());
        assertEquals(0, none.hd95());
        // Empty truth, non-empty prediction: DSC, IoU, precision 0; sensitivity 0/0 → 1; HD95 undefined.
        ImageScores fp = ImageScores.of(new float[] {1, -1, -1, -1}, new float[4], 2, 2, true);
        assertEquals(0, fp.dsc());
        assertEquals(0, fp.iou());
        assertEquals(0, fp.precision());
        assertEquals(1, fp.sensitivity());
        assertEquals(0.75, fp.specificity());
        assertTrue(Double.isNaN(fp.hd95()));
    }

    @Test
    void reductionsDifferAsDocumented() {
        Evaluation e = new Evaluation();
        // Batch 1: a perfect 4-pixel tumour; batch 2: a missed 1-pixel tumour and an empty, empty image.
        e.addBatch(List.of("a"), List.of(new ImageScores(4, 0, 0, 12, 4, 0)));
        e.addBatch(List.of("b", "c"), List.of(new ImageScores(0, 0, 1, 15, 1, Double.NaN), new ImageScores(0, 0, 0, 16, 0, 0)));
        Map<String, Double> authors = e.metrics(Reduction.AUTHORS);
        Map<String, Double> pooled = e.metrics(Reduction.POOLED);
        Map<String, Double> perImage = e.metrics(Reduction.PER_IMAGE);
        assertEquals((1.0 + 0.0) / 2, authors.get("dsc"), 1e-12);       // batch 2 pools to TP 0, FN 1 → 0
        assertEquals(8.0 / 9, pooled.get("dsc"), 1e-12);                // 2·4/(2·4 + 1)
        assertEquals((1.0 + 0.0 + 1.0) / 3, perImage.get("dsc"), 1e-12); // the empty image counts 1
        assertEquals(47.0 / 48, authors.get("accuracy"), 1e-12);        // over all pixels
        assertEquals((0.0 / 16 + 1.0 / 32) / 2, authors.get("mae"), 1e-12);   // per batch, as solver.py
        assertEquals(1.0 / 48, pooled.get("mae"), 1e-12);
        assertEquals(0.0, authors.get("hd95"), 1e-12);                  // mean over the 2 defined images
        assertEquals(1, e.hd95Undefined());
        // test-per-slice.csv: every metric of the registry, one row per image; b's by hand: 15 of 16 pixels right.
        tech.tablesaw.api.Table t = e.perImage("per slice");
        List<String> columns = new java.util.ArrayList<>(List.of("slice", "batch", "area", "predicted"));
        columns.addAll(Metric.NAMES);
        columns.addAll(List.of("fp", "fn"));
        assertEquals(columns, t.columnNames());
        assertEquals(15.0 / 16, t.doubleColumn("accuracy").get(1), 1e-12);
        assertEquals(1.0 / 16, t.doubleColumn("mae").get(1), 1e-12);
        assertEquals(0.0, t.doubleColumn("dsc").get(1), 1e-12);
        assertEquals(1.0, t.doubleColumn("dsc").get(2), 1e-12);
        assertEquals(1L, t.longColumn("fn").get(1));
    }

    private static boolean[] randomBlob(Random r, int w, int h) {
        boolean[] m = new boolean[w * h];
        double cx = r.nextDouble() * w;
        double cy = r.nextDouble() * h;
        double rad = 2 + r.nextDouble() * w / 3;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = (x - cx) * (x - cx) + (y - cy) * (y - cy) < rad * rad || r.nextDouble() < 0.01;
            }
        }
        return m;
    }

    @Test
    void dscBySizeCountsFoundTumoursFalseAlarmsAndAreaRatios() {
        Evaluation e = new Evaluation();
        // Areas 10, 20, 30 (tertile cuts 20 and 30): small = {10}, medium = {20}, large = {30}; two empty slices.
        e.addBatch(List.of("a", "b", "c", "d", "e"), List.of(
                new ImageScores(0, 0, 10, 90, 10, Double.NaN),      // small tumour missed
                new ImageScores(20, 10, 0, 70, 20, Double.NaN),     // medium found, over-segmented 1.5×
                new ImageScores(15, 0, 15, 70, 30, Double.NaN),     // large found, half its area
                new ImageScores(0, 3, 0, 97, 0, Double.NaN),        // a false alarm
                new ImageScores(0, 0, 0, 100, 0, Double.NaN)));     // a clean empty slice
        var t = e.dscBySize("by size");
        assertEquals(List.of("no tumour", "small", "medium", "large"), t.stringColumn("stratum").asList());
        assertEquals(0.5, t.doubleColumn("found").get(0), 1e-12, "one of two empty slices has a false alarm");
        assertEquals(0.0, t.doubleColumn("found").get(1), 1e-12);
        assertEquals(1.0, t.doubleColumn("found").get(2), 1e-12);
        assertEquals(0.0, t.doubleColumn("predicted / true area").get(1), 1e-12);
        assertEquals(1.5, t.doubleColumn("predicted / true area").get(2), 1e-12);
        assertEquals(0.5, t.doubleColumn("predicted / true area").get(3), 1e-12);
        assertTrue(Double.isNaN(t.doubleColumn("predicted / true area").getDouble(0)));
        assertEquals(0.5, t.doubleColumn("dsc").get(0), 1e-12, "0/0 = 1 for the clean slice, 0 for the false alarm");
    }

    @Test
    void hd95AndDistanceTransformMatchScipy() {
        Random r = new Random(4);
        JsonObject req = new JsonObject();
        JsonArray hd = new JsonArray();
        JsonArray edt = new JsonArray();
        boolean[][] as = new boolean[12][];
        boolean[][] bs = new boolean[12][];
        int w = 40;
        int h = 30;
        for (int i = 0; i < 12; i++) {
            as[i] = randomBlob(r, w, h);
            bs[i] = i == 10 ? new boolean[w * h] : randomBlob(r, w, h);
            JsonObject c = new JsonObject();
            c.addProperty("id", "h" + i);
            c.addProperty("w", w);
            c.addProperty("h", h);
            c.add("a", GSON.toJsonTree(as[i]));
            c.add("b", GSON.toJsonTree(bs[i]));
            hd.add(c);
            JsonObject d = new JsonObject();
            d.addProperty("id", "e" + i);
            d.addProperty("w", w);
            d.addProperty("h", h);
            d.add("site", GSON.toJsonTree(as[i]));
            edt.add(d);
        }
        req.add("hd95", hd);
        req.add("edt", edt);
        JsonObject ref = PythonReference.run(req);
        for (int i = 0; i < 12; i++) {
            JsonElement expected = ref.getAsJsonObject("h" + i).get("hd95");
            double got = Hausdorff.hd95(as[i], bs[i], w, h);
            if (expected.isJsonNull()) {
                assertTrue(Double.isNaN(got), "case " + i);
            } else {
                assertEquals(expected.getAsDouble(), got, 1e-9, "case " + i);
            }
            double[] d = GSON.fromJson(ref.getAsJsonObject("e" + i).get("d"), double[].class);
            double[] mine = EuclideanDistance.distanceTo(as[i], w, h);
            for (int k = 0; k < d.length; k++) {
                assertEquals(d[k], mine[k], 1e-9, "EDT case " + i + " pixel " + k);
            }
        }
    }

    @Test
    void seedStatisticsMatchScipy() {
        double[] a = {0.81, 0.79, 0.84, 0.80, 0.83};
        double[] b = {0.78, 0.77, 0.80, 0.81, 0.79};
        JsonObject c = new JsonObject();
        c.addProperty("id", "s");
        c.add("a", GSON.toJsonTree(a));
        c.add("b", GSON.toJsonTree(b));
        JsonArray cases = new JsonArray();
        cases.add(c);
        JsonObject req = new JsonObject();
        req.add("seeds", cases);
        JsonObject ref = PythonReference.run(req).getAsJsonObject("s");
        SeedStatistics.MeanCi ci = SeedStatistics.meanCi(a);
        assertEquals(ref.get("mean").getAsDouble(), ci.mean(), 1e-12);
        assertEquals(ref.get("half").getAsDouble(), ci.halfWidth(), 1e-9);
        assertEquals(ref.get("sd").getAsDouble(), ci.sd(), 1e-12);
        double[] unit = SeedStatistics.boundedCi(a, SeedStatistics.Bounds.UNIT);
        assertEquals(ref.get("unit_low").getAsDouble(), unit[0], 1e-9);
        assertEquals(ref.get("unit_high").getAsDouble(), unit[1], 1e-9);
        double[] positive = SeedStatistics.boundedCi(a, SeedStatistics.Bounds.POSITIVE);
        assertEquals(ref.get("positive_low").getAsDouble(), positive[0], 1e-9);
        assertEquals(ref.get("positive_high").getAsDouble(), positive[1], 1e-9);
        // Two seeds near 1: the plain t interval leaves [0, 1] (t = 12.7), the logit one does not.
        double[] near = {0.93, 0.96};
        assertTrue(SeedStatistics.meanCi(near).mean() + SeedStatistics.meanCi(near).halfWidth() > 1);
        double[] bounded = SeedStatistics.boundedCi(near, SeedStatistics.Bounds.UNIT);
        assertTrue(bounded[0] > 0 && bounded[0] < 0.93 && bounded[1] > 0.96 && bounded[1] < 1, java.util.Arrays.toString(bounded));
        SeedStatistics.Paired p = SeedStatistics.paired(a, b);
        assertEquals(ref.get("t_p").getAsDouble(), p.tTestP(), 1e-9);
        assertEquals(ref.get("w_p").getAsDouble(), p.wilcoxonP(), 1e-9);
        assertEquals(0.024, p.meanDifference(), 1e-12);
    }
}
