package calfkit.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import calfkit.data.Slice;

class PredictionsTest {

    private static Slice slice(String image, int area) {
        return new Slice("P1", image.charAt(0), image, "m-" + image, area, 8, 8);
    }

    @Test
    void explorerPicksTheTwoSmallestTheWorstTheBestAndAnEmptySliceEachOnce() {
        List<Slice> test = List.of(slice("a", 30), slice("b", 0), slice("c", 5), slice("d", 12), slice("e", 50));
        Table perSlice = Table.create("per slice", StringColumn.create("slice", "a", "b", "c", "d", "e"),
                IntColumn.create("area", 30, 0, 5, 12, 50), DoubleColumn.create("dsc", 0.9, 1.0, 0.1, 0.5, 0.95));
        // smallest c (also the worst), next smallest d, the worst not shown yet a, best e, empty b: five, as promised
        assertEquals(List.of("c", "d", "a", "e", "b"),
                Predictions.explorerSlices(test, perSlice).stream().map(Slice::image).toList());
    }
}
