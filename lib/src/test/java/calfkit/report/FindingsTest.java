package calfkit.report;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The findings are written from the tables' numbers, and no verdict word comes from fewer than 3 trainings. */
class FindingsTest {

    private static Table comparisons(int seeds, String... verdicts) {
        Table t = Table.create("c", StringColumn.create("model"), StringColumn.create("against"),
                IntColumn.create("trainings"), DoubleColumn.create("Δ DSC"), DoubleColumn.create("95% low"),
                DoubleColumn.create("95% high"), StringColumn.create("verdict"));
        for (int i = 0; i < verdicts.length; i++) {
            t.stringColumn("model").append("U-Net");
            t.stringColumn("against").append(i == 0 ? "BCE" : "Focal");
            t.intColumn("trainings").append(seeds);
            t.doubleColumn("Δ DSC").append(0.0082 - 0.01 * i);
            t.doubleColumn("95% low").append(seeds < 3 ? Double.NaN : -0.01);
            t.doubleColumn("95% high").append(seeds < 3 ? Double.NaN : 0.03);
            t.stringColumn("verdict").append(verdicts[i]);
        }
        return t;
    }

    @Test
    void twoTrainingsGiveNoVerdictWhateverTheDifference() {
        String text = Findings.claim("CALF ≥ BCE (Table 4)", "CALF", comparisons(2,
                "2 trainings a side: they differ by +0.0082 (no verdict: fewer than 3)",
                "2 trainings a side: they differ by -0.0018 (no verdict: fewer than 3)"));
        assertTrue(text.contains("U-Net, against BCE +0.0082"), text);
        assertTrue(text.contains("Verdict: none. 2 trainings a side"), text);
        assertFalse(text.contains("better") || text.contains("worse") || text.contains("real"), text);
    }

    @Test
    void threeTrainingsCountTheVerdicts() {
        String text = Findings.claim("CALF ≥ BCE and Focal (Table 4)", "CALF", comparisons(3,
                "CALF better than BCE (3 trainings a side)", "no difference resolved (3 trainings a side)"));
        assertTrue(text.contains("against BCE +0.0082 (95 % -0.0100 to +0.0300): CALF better than BCE;"), text);
        assertTrue(text.contains("CALF better in 1 of 2 comparisons, worse in 0, no difference resolved in 1."), text);
    }

    @Test
    void perBatchSharesAddUpPerRatio() {
        Table t = Table.create("p", StringColumn.create("tumour ratio", List.of("0.1", "0.1", "0.409")),
                StringColumn.create("branch", List.of("Log10", "BCE-Dice", "Natural log")),
                IntColumn.create("batches", new int[] {90, 10, 100}), DoubleColumn.create("share", new double[] {0.9, 0.1, 1}));
        String text = Findings.perBatch(t);
        assertTrue(text.contains("at ratio 0.1, 90 % of the batches train with BCE up to a constant (Log10 or Natural log), "
                + "10 % with BCE-Dice"), text);
        assertTrue(text.contains("at ratio 0.409, 100 %"), text);
        assertTrue(text.contains("trains as BCE"), text);
    }

    @Test
    void theAflAblationSaysWhetherTheAlphaVariantsOverPredict() {
        Table runs = Table.create("abl", tech.tablesaw.api.StringColumn.create("loss", "Focal", "A-FL α", "A-FL", "A-FL γva γmSa"),
                tech.tablesaw.api.DoubleColumn.create("sensitivity", 0.816, 0.691, 0.897, 0.846),
                tech.tablesaw.api.DoubleColumn.create("precision", 0.891, 0.768, 0.623, 0.887));
        String text = Findings.aflAblation(runs);
        assertTrue(text.contains("Focal precision 0.891, sensitivity 0.816"), text);
        assertTrue(text.contains("without α_va, A-FL γva γmSa precision 0.887"), text);
        assertTrue(text.contains("Of the 2 variants with α_va, 2 have a lower precision than focal loss and 1 a higher "
                + "sensitivity: they predict tumour where there is none"), text);
        assertFalse(text.contains("better") || text.contains("worse"), text);
    }
}
