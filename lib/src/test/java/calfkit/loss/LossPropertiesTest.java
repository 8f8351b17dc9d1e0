package calfkit.loss;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import calfkit.config.Protocol;
import calfkit.stats.Branch;
import calfkit.stats.BranchDecision;
import calfkit.stats.BranchScope;
import calfkit.stats.EmptyMasks;

/** Hand-computed values and the documented conventions of each loss. */
class LossPropertiesTest {

    private static NDManager m;

    @BeforeAll
    static void setUp() {
        m = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        m.close();
    }

    private static NDArray v(float... values) {
        return m.create(values, new Shape(1, 1, 1, values.length));
    }

    private static float probLoss(SegmentationLoss loss, NDArray p, NDArray y) {
        return loss.fromProbabilities(p, y).getFloat();
    }

    @Test
    void smpAndMonaiFixedCases() {
        // p = [1, 1, 0, 0] against y = [1, 1, 1, 1]: TP = 2, FP = 0, FN = 2.
        NDArray p = v(1, 1, 0, 0);
        NDArray y = v(1, 1, 1, 1);
        assertEquals(1 - 2.0 / 3, probLoss(new DiceLoss(0f, false), p, y), 1e-6);        // Dice 4/6 = 2/3
        assertEquals(1 - 1.0 / 2, probLoss(new JaccardLoss(0f, false), p, y), 1e-6);     // IoU 2/4 = 1/2
        assertEquals(1 - 2.0 / 3, probLoss(new TverskyLoss(0.5f, 0.5f, 0f, false), p, y), 1e-6); // 2/(2+0+1)
    }

    @Test
    void tverskyWeighsFalsePositivesByAlpha() {
        // p = [1, 1, 1, 0], y = [1, 0, 0, 1]: TP 1, FP 2, FN 1. α = 0.3, β = 0.7, smooth 0: 1/(1 + 0.6 + 0.7).
        assertEquals(1 - 1 / 2.3, probLoss(new TverskyLoss(0.3f, 0.7f, 0f, false), v(1, 1, 1, 0), v(1, 0, 0, 1)), 1e-6);
    }

    @Test
    void theRegistryGivesEachProtocolsConventions() {
        // p = [1, 1, 1, 0], y = [1, 0, 0, 1] (one image): TP 1, FP 2, FN 1.
        NDArray p = v(1, 1, 1, 0);
        NDArray y = v(1, 0, 0, 1);
        // The authors': α = 0.7 on FP, β = 0.3 on FN, 1e-5 below only: 1/(1 + 1.4 + 0.3 + 1e-5).
        assertEquals(1 - 1 / 2.70001, probLoss(LossKind.TVERSKY.create(Protocol.AUTHORS), p, y), 1e-6);
        // The kit's: α = 0.3, β = 0.7, smooth 1: 2/(1 + 0.6 + 0.7 + 1).
        assertEquals(1 - 2 / 3.3, probLoss(LossKind.TVERSKY.create(Protocol.KIT), p, y), 1e-6);
        // An empty image under the authors' Dice: loss 1 whatever is predicted; the kit's: close to 0 for p = 0.
        NDArray empty = v(0, 0, 0, 0);
        assertEquals(1, probLoss(LossKind.DICE.create(Protocol.AUTHORS), empty, empty), 1e-6);
        assertEquals(1, probLoss(LossKind.DICE.create(Protocol.AUTHORS), p, empty), 1e-6);
        assertEquals(0, probLoss(LossKind.DICE.create(Protocol.KIT), empty, empty), 1e-6);
        assertEquals(LossKind.BCE.create(Protocol.KIT).getClass(), LossKind.BCE.create(Protocol.AUTHORS).getClass());
    }

    @Test
    void anAuthorsNameAsksForTheirConventionsUnderAnyProtocol() {
        NDArray p = v(1, 1, 1, 0);
        NDArray y = v(1, 0, 0, 1);
        assertEquals(LossKind.TVERSKY, LossKind.of("Tversky-Authors "));
        assertEquals(new LossName(LossKind.TVERSKY, true), LossName.parse(" Tversky-Authors"));
        assertEquals("tversky-authors", LossName.parse("TVERSKY-authors").id());
        assertEquals(Protocol.AUTHORS, LossName.parse("tversky-authors").conventions(Protocol.KIT));
        assertEquals(Protocol.KIT, LossName.parse("tversky").conventions(Protocol.KIT));
        assertEquals(Protocol.AUTHORS, LossName.parse("tversky").conventions(Protocol.AUTHORS));
        // the same value as the authors' Tversky above: 1/(1 + 1.4 + 0.3 + 1e-5)
        assertEquals(1 - 1 / 2.70001, probLoss(Losses.create("tversky-authors"), p, y), 1e-6);
        assertEquals("Dice (authors')", Losses.label("dice-authors"));
        assertEquals(LossKind.CALF, LossKind.of("calf-authors"));
        // BCE and the seed papers' losses have one convention: no "-authors" name
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> LossKind.of("bce-authors"));
        assertTrue(x.getMessage().contains("unknown loss 'bce-authors'") && x.getMessage().contains("dice-authors"),
                x.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LossKind.of("afl-authors"));
        assertTrue(LossKind.names().endsWith("; dice-authors, tversky-authors, iou-authors, focal-authors, bce-dice-authors, "
                + "calf-authors"), LossKind.names());
    }

    @Test
    void emptyMaskConventionsOfRegionLosses() {
        NDArray empty = v(0, 0, 0, 0);
        NDArray full = v(1, 1, 1, 1);
        // Empty truth, empty prediction: smooth/smooth = 1 → loss 0.
        assertEquals(0, probLoss(new DiceLoss(), empty, empty), 1e-7);
        assertEquals(0, probLoss(new JaccardLoss(), empty, empty), 1e-7);
        // Empty truth, full prediction: Dice = 1/(4 + 1) → loss 0.8; IoU likewise 1/5.
        assertEquals(0.8, probLoss(new DiceLoss(), full, empty), 1e-6);
        assertEquals(0.8, probLoss(new JaccardLoss(), full, empty), 1e-6);
        // smooth = 0: 0/0 is undefined.
        assertTrue(Float.isNaN(probLoss(new DiceLoss(0f, false), empty, empty)));
    }

    @Test
    void perImageDiceAveragesImagesWholeBatchPoolsThem() {
        // Image 1: perfect (Dice 1); image 2: p = [1, 0], y = [0, 1] → Dice 0 (smooth 0).
        NDArray p = m.create(new float[] {1, 1, 1, 0}, new Shape(2, 1, 1, 2));
        NDArray y = m.create(new float[] {1, 1, 0, 1}, new Shape(2, 1, 1, 2));
        assertEquals(0.5, new DiceLoss(0f, true).fromProbabilities(p, y).getFloat(), 1e-6);
        // Pooled: TP 2, FP 1, FN 1 → Dice 4/6.
        assertEquals(1 - 4.0 / 6, new DiceLoss(0f, false).fromProbabilities(p, y).getFloat(), 1e-6);
    }

    @Test
    void logitAndFisherAreBoundedOnlyByTheClamp() {
        // Negatives (y = 0) reach the lower clamp EPS exactly: −ln((1 − EPS)/EPS) and −½ln((2 − EPS)/EPS).
        NDArray veryNegative = v(-100, -100);
        NDArray zeros = v(0, 0);
        assertEquals(LogitLoss.MIN_VALUE, new LogitLoss().fromLogits(veryNegative, zeros).getFloat(), 1e-3);
        assertEquals(-16.118, LogitLoss.MIN_VALUE, 1e-3);
        assertEquals(FisherLoss.MIN_VALUE, new FisherLoss().fromLogits(veryNegative, zeros).getFloat(), 1e-3);
        assertEquals(-8.4056, FisherLoss.MIN_VALUE, 1e-3);
        // Positives stop at float32's 1 − EPS = 1 − 2⁻²³ (1 − 1e-7 is not a float): ln(q/(1 − q)) ≈ 15.94.
        double q = 1 - Math.pow(2, -23);
        assertEquals(-Math.log(q / (1 - q)), new LogitLoss().fromLogits(v(100), v(1)).getFloat(), 1e-3);
        // Without the clamp the value would keep falling: 30 vs 100 give the same clamped loss.
        assertEquals(new LogitLoss().fromLogits(v(30), v(1)).getFloat(),
                new LogitLoss().fromLogits(v(100), v(1)).getFloat(), 0f);
    }

    @Test
    void arcsineIsBoundedByMinusHalfPi() {
        float perfect = new ArcsineLoss().fromProbabilities(v(1, 0), v(1, 0)).getFloat();
        assertEquals(-Math.PI / 2, perfect, 1e-3);
        assertEquals(0, new ArcsineLoss().fromProbabilities(v(0, 1), v(1, 0)).getFloat(), 1e-3);
    }

    @Test
    void log10IsBceOverLn10() {
        NDArray x = v(-2, -0.5f, 0.3f, 4);
        NDArray y = v(0, 1, 1, 0);
        assertEquals(new BceLoss().fromLogits(x, y).getFloat() / Math.log(10),
                new Log10Loss().fromLogits(x, y).getFloat(), 1e-6);
    }

    @Test
    void focalWithGammaZeroAndNoAlphaIsBce() {
        NDArray x = v(-2, -0.5f, 0.3f, 4);
        NDArray y = v(0, 1, 1, 0);
        assertEquals(new BceLoss().fromLogits(x, y).getFloat(), new FocalLoss(null, 0f).fromLogits(x, y).getFloat(), 1e-6);
    }

    @Test
    void evaluateTakesLogitsAndMasksWithoutChannelAxis() {
        NDArray x = m.create(new float[] {2, -1, 0.5f, -3}, new Shape(1, 1, 2, 2));
        NDArray mask = m.create(new float[] {1, 0, 1, 0}, new Shape(1, 2, 2));
        float viaEvaluate = new BceLoss().evaluate(new NDList(mask), new NDList(x)).getFloat();
        assertEquals(new BceLoss().fromLogits(x, mask.reshape(1, 1, 2, 2)).getFloat(), viaEvaluate, 1e-7);
        NDArray wrong = m.create(new float[] {1, 0, 1}, new Shape(1, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DiceLoss().evaluate(new NDList(wrong), new NDList(x)));
        assertTrue(e.getMessage().startsWith("Dice: the target has shape (1, 3) but the logits have shape (1, 1, 2, 2)"),
                e.getMessage());
    }

    @Test
    void calfDatasetScopeUsesItsFixedBranch() {
        BranchDecision decision = BranchDecision.of(new long[] {0, 0, 0, 100, 400}, EmptyMasks.INCLUDE);
        CalfLoss calf = CalfLoss.forDataset(decision);
        assertEquals(BranchScope.DATASET, calf.scope());
        NDArray x = v(-2, -0.5f, 0.3f, 4);
        NDArray y = v(0, 1, 1, 0);
        assertEquals(new Log10Loss().fromLogits(x, y).getFloat(), calf.fromLogits(x, y).getFloat(), 0f);
        assertEquals(Map.of(Branch.LOG10, 1), calf.branchCounts());
    }

    @Test
    void calfPerBatchMeasuresEachBatch() {
        CalfLoss calf = CalfLoss.perBatch(EmptyMasks.INCLUDE);
        // Batch of 5 masks of 4 pixels with areas 0, 0, 0, 1, 4: S = 1.29 → Log10.
        float[] masks = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1};
        NDArray y = m.create(masks, new Shape(5, 1, 2, 2));
        NDArray x = m.zeros(new Shape(5, 1, 2, 2));
        assertEquals(new Log10Loss().fromLogits(x, y).getFloat(), calf.fromLogits(x, y).getFloat(), 0f);
        assertEquals(Branch.LOG10, calf.lastDecision().branch());
        // Areas 4, 4, 4, 3, 0: S = −1.4 → Fisher.
        float[] masks2 = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
        calf.fromLogits(x, m.create(masks2, new Shape(5, 1, 2, 2)));
        assertEquals(Branch.FISHER, calf.lastDecision().branch());
        // A batch of one has no skewness: BCE-Dice.
        calf.fromLogits(v(0, 0), v(1, 0));
        assertEquals(Branch.BCE_DICE, calf.lastDecision().branch());
        assertEquals(Map.of(Branch.LOG10, 1, Branch.FISHER, 1, Branch.BCE_DICE, 1), calf.branchCounts());
    }

    @Test
    void calfAsTheAuthorsMeasuresEachBatchsContourAreas() {
        CalfLoss calf = CalfLoss.authors();
        // Five 3 × 3 masks: three full squares (9 pixels, contour area 4), a ring (8 pixels: its outer contour and
        // its hole's), two single pixels (1 pixel, contour area 0).
        float[] full = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        float[] ring = {1, 1, 1, 1, 0, 1, 1, 1, 1};
        float[] dot = {0, 0, 0, 0, 1, 0, 0, 0, 0};
        float[][] masks = {full, full, ring, dot, dot};
        float[] all = new float[45];
        double sum = 0;
        for (int i = 0; i < masks.length; i++) {
            System.arraycopy(masks[i], 0, all, 9 * i, 9);
            byte[] b = new byte[9];
            for (int j = 0; j < 9; j++) {
                b[j] = (byte) masks[i][j];
            }
            sum += calfkit.stats.ContourArea.of(b, 3, 3);
        }
        NDArray y = m.create(all, new Shape(5, 1, 3, 3));
        NDArray x = m.zeros(new Shape(5, 1, 3, 3));
        calf.fromLogits(x, y);
        assertEquals(sum / 5, calf.lastDecision().distribution().mean(), 1e-9);
        assertNotEquals((9 + 9 + 8 + 1 + 1) / 5.0, calf.lastDecision().distribution().mean(), "not the pixel counts");
        // A batch of one has no skewness: BCE-Dice, with the authors' ε = 1e-7.
        NDArray x1 = v(0.5f, -1, 2, -3);
        NDArray y1 = v(1, 0, 1, 0);
        assertEquals(BceDiceLoss.authorsCalfBranch().fromLogits(x1, y1).getFloat(), calf.fromLogits(x1, y1).getFloat(), 0f);
        assertEquals(Branch.BCE_DICE, calf.lastDecision().branch());
        assertEquals(calfkit.config.Protocol.AUTHORS, calf.freshCopy().protocol());
    }

    @Test
    void lossesByNameListTheValidOnes() {
        assertEquals("Tversky", Losses.create("Tversky").getName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.create("dise"));
        assertEquals("unknown loss 'dise'; expected one of bce, dice, tversky, iou, focal, bce-dice, afl, "
                + "afl-alpha, afl-alpha-gva, afl-alpha-gmsa, afl-gva-gmsa, boundary, modified-boundary, generalised-dice, "
                + "fisher, logit, arcsine, log10, ln, bce-log10, calf-region, calf; dice-authors, tversky-authors, iou-authors, "
                + "focal-authors, "
                + "bce-dice-authors, calf-authors", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.create("calf"));
    }

    @Test
    void theRegistryHasOneEntryPerNameWithLabelAndFactory() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (LossKind l : LossKind.values()) {
            assertTrue(ids.add(l.id()), "name " + l.id() + " once");
            assertEquals(l, LossKind.of(" " + l.id().toUpperCase(java.util.Locale.ROOT) + " "));
            assertEquals(l.label(), Losses.label(l.id()));
            if (l != LossKind.CALF) {
                assertNotNull(l.create());
            }
        }
        assertThrows(IllegalArgumentException.class, LossKind.CALF::create);
        assertEquals("Modified boundary", Losses.label("modified-boundary"));
        assertEquals(calfkit.stats.Branch.NATURAL_LOG.label(), LossKind.LN.label());
        assertEquals("my-loss", Losses.label("my-loss"), "an unknown name stays as it is");
    }
}
