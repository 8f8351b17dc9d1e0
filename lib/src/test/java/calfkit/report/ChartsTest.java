package calfkit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapSeries;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class ChartsTest {

    @Test
    void heatMapHasOneCellPerPixelUpTo64PerSideAndTheirValues() {
        float[] v = new float[48 * 40];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        HeatMapChart small = Charts.heatMap(v, 48, 40, "v", "t");
        HeatMapSeries s = small.getSeriesMap().get("v");
        assertEquals(48 * 40, s.getHeatData().size());
        Number[] last = s.getHeatData().get(s.getHeatData().size() - 1);
        assertEquals(List.of(47, 0, 47f), List.of(last[0], last[1], last[2]), "drawn top row last: row 0 at the top");
        HeatMapChart big = Charts.heatMap(new float[256 * 256], 256, 256, "v", "t");
        assertEquals(64 * 64, big.getSeriesMap().get("v").getHeatData().size(), "every 4th pixel of a 256² image");
    }

    @Test
    void barsHaveOneSeriesPerSeriesValueInTheTablesOrder() {
        Table t = Table.create("t", StringColumn.create("model", "U-Net", "U-Net", "FPN", "FPN"),
                StringColumn.create("loss", "BCE", "CALF", "BCE", "CALF"), DoubleColumn.create("dsc", 0.9, 0.91, 0.8, 0.82));
        CategoryChart c = Charts.bars(t, "model", "loss", "dsc", "title");
        assertEquals(List.of("BCE", "CALF"), List.copyOf(c.getSeriesMap().keySet()));
        assertEquals(List.of(0.91, 0.82), List.copyOf(c.getSeriesMap().get("CALF").getYData()));
    }

    @Test
    void dotsCarryTheSpreadOverSeedsAndZoomTheAxisToTheData() {
        Table t = Table.create("t", StringColumn.create("model", "U-Net", "U-Net"), StringColumn.create("loss", "BCE", "CALF"),
                DoubleColumn.create("dsc", 0.95, 0.96), DoubleColumn.create("dsc sd", 0.004, Double.NaN));
        CategoryChart c = Charts.dots(t, "model", "loss", "dsc", "title");
        assertEquals(List.of(0.004), List.copyOf(c.getSeriesMap().get("BCE").getExtraValues()));
        assertEquals(List.of(0.0), List.copyOf(c.getSeriesMap().get("CALF").getExtraValues()), "one seed: no bar");
        assertEquals(0.941, c.getStyler().getYAxisMin(), 1e-9, "zoomed: 0.946 − 0.005");
        assertEquals(0.965, c.getStyler().getYAxisMax(), 1e-9);
        assertTrue(c.getYAxisTitle().contains("axis zoomed to the data"), c.getYAxisTitle());
    }

    @Test
    void everyLossOfAGridHasAColourOfItsOwn() {
        List<String> ablation = List.of("Focal", "A-FL α", "A-FL α γva", "A-FL α γmSa", "A-FL", "A-FL γva γmSa");
        java.util.Set<java.awt.Color> colours = new java.util.HashSet<>();
        for (int i = 0; i < ablation.size(); i++) {
            colours.add(Charts.colour(ablation.get(i), i));
        }
        assertEquals(ablation.size(), colours.size(), "A-FL's ablation: " + colours);
    }
}
