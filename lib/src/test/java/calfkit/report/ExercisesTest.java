package calfkit.report;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.Test;

import calfkit.loss.BceLoss;
import calfkit.loss.SegmentationLoss;
import calfkit.stats.Branch;

class ExercisesTest {

    /** Right answers pass, wrong ones fail with their hint; the expected moments are scipy.stats' (bias=True). */
    @Test
    void checksAcceptTheRightAnswersAndHintAtTheWrongOnes() {
        Exercises ex = new Exercises();
        long[] areas = {1, 2, 3, 4, 100};
        // scipy.stats.skew(a) = 1.4975367033335198, kurtosis(a) = 0.24671648930016365; skew(a, bias=False) = 2.2324
        assertTrue(ex.moments(areas, 1.4975367, 0.2467165).startsWith("✓"));
        String sample = ex.moments(areas, 2.232395911636458, 0.2467165);
        assertTrue(sample.contains("sample (bias-corrected) skewness"), sample);
        assertTrue(ex.branch("tumour masks", 1.4975, 0.2467, Branch.LOG10).startsWith("✓"));
        assertTrue(ex.branch("all masks", 0.3, -0.5, Branch.BCE_DICE).startsWith("✗"));
        assertTrue(ex.log10OverBce(0.4342945).startsWith("✓"));
        assertTrue(ex.log10OverBce(1).startsWith("✗"));
        // scipy.stats.skew([100, 98, 99, 97, 100, 96, 20, 10, 99, 100]) = -1.5113563982272322
        assertTrue(ex.fisherAreas(new long[] {100, 98, 99, 97, 100, 96, 20, 10, 99, 100}).startsWith("✓"));
        assertTrue(ex.fisherAreas(areas).startsWith("✗"));
        assertTrue(ex.weightedBce(new BceLoss()).startsWith("✗"), "plain BCE is not the weighted one");
        // A check answered again replaces its result: 1 of the 6 checks (two branches) stands right.
        assertEquals("1 of 6 exercises right; still to do: 1 · moments, 2 · branch, all masks, 3 · Log10 / BCE, "
                + "4 · a Fisher dataset, 5 · weighted BCE", ex.score());
        assertTrue(ex.weightedBce(null).contains("write the class"));
        assertEquals("✓ right", ex.table().stringColumn("result").get(1));
        assertEquals(ex.score(), ex.table().name());
        assertThrows(IllegalStateException.class, ex::requireAllRight);
    }

    @Test
    void aWeightedBceWrittenAsTheExerciseAsksPasses() {
        Exercises ex = new Exercises();
        SegmentationLoss weighted = new SegmentationLoss("weighted BCE") {
            @Override
            public NDArray fromProbabilities(NDArray p, NDArray y) {
                NDArray pos = y.mul(p.log()).mul(Exercises.POSITIVE_WEIGHT);
                NDArray neg = y.neg().add(1).mul(p.neg().add(1).log());
                return pos.add(neg).mean().neg();
            }
        };
        assertTrue(ex.weightedBce(weighted).startsWith("✓"));
        assertDoesNotThrow(ex::requireAllRight);
    }
}
