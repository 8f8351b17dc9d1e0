package calfkit.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import calfkit.data.Slice;

/** Metrics by scan type, as the CALF authors' Solver.analyze_model: each image alone, 0/0 = 1, averaged. */
class EvaluationByModalityTest {

    @Test
    void eachScanTypeAveragesItsImagesAlone() {
        assertEquals("flair", Slice.modalityOf("P1/images-flair/0003.png"));
        assertEquals("", Slice.modalityOf("P1/images/0003.png"));
        assertEquals("", Slice.modalityOf("0003.png"));
        Evaluation e = new Evaluation();
        // (tp, fp, fn, tn): DSC 2·tp / (2·tp + fp + fn); a tumour-free slice with nothing predicted scores 1 (0/0).
        e.addBatch(List.of("A/images-t1/0.png", "A/images-flair/0.png", "A/images-t1/1.png"),
                List.of(new ImageScores(3, 1, 1, 95, 4, Double.NaN),     // DSC 6/8 = 0.75, spec 95/96, sens 3/4
                        new ImageScores(0, 0, 0, 100, 0, Double.NaN),    // DSC 1 (0/0), spec 1, sens 1 (0/0)
                        new ImageScores(1, 0, 3, 96, 4, Double.NaN)));  // DSC 2/5 = 0.4, spec 1, sens 1/4
        e.addBatch(List.of("B/images-flair/0.png"), List.of(new ImageScores(2, 2, 0, 96, 2, Double.NaN))); // 4/6
        Table t = e.byModality("m", Slice::modalityOf);
        assertEquals(List.of("t1", "flair"), t.stringColumn("modality").asList());
        assertEquals(List.of(2, 2), t.intColumn("images").asList());
        assertEquals((0.75 + 0.4) / 2, t.doubleColumn("dsc (per image)").get(0), 1e-12);
        assertEquals((95.0 / 96 + 1) / 2, t.doubleColumn("specificity (per image)").get(0), 1e-12);
        assertEquals((0.75 + 0.25) / 2, t.doubleColumn("sensitivity (per image)").get(0), 1e-12);
        assertEquals(8.0 / 13, t.doubleColumn("dsc (pooled)").get(0), 1e-12);   // 2·4 / (2·4 + 1 + 4)
        assertEquals((1 + 4.0 / 6) / 2, t.doubleColumn("dsc (per image)").get(1), 1e-12);
        assertEquals(4.0 / 6, t.doubleColumn("dsc (pooled)").get(1), 1e-12);
    }
}
