package calfkit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
