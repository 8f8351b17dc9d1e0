package calfkit.report;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tech.tablesaw.api.Table;

class PublishedTest {

    @Test
    void everyPublishedTableLoadsAndSaysItIsPublished() {
        for (Published p : Published.values()) {
            Table t = p.table();
            assertTrue(t.rowCount() > 0, p.name());
            assertTrue(t.name().startsWith("published: "), t.name());
        }
    }

    @Test
    void table4HoldsThePapersCalfUnetRow() {
        // CALF paper, Table 4, U-Net row, CALF columns: 0.9990 / 0.9577 / 0.0009.
        Table t = Published.CALF_TABLE4.table();
        Table row = t.where(t.stringColumn("model").isEqualTo("U-Net").and(t.stringColumn("loss").isEqualTo("CALF")));
        assertEquals(1, row.rowCount());
        assertEquals(0.9577, row.doubleColumn("dsc").get(0), 0.0);
        assertEquals(0.9990, row.doubleColumn("accuracy").get(0), 0.0);
    }

    @Test
    void renderGivesAnHtmlTableAndAnImage() {
        String html = Render.html(Published.CALF_TABLE5.table());
        assertTrue(html.contains("<table"), html);
        assertTrue(html.contains("BCE-Dice"), html);
        CategoryChart chart = new CategoryChartBuilder().width(300).height(200).build();
        chart.addSeries("dsc", List.of("a", "b"), List.of(0.5, 0.7));
        BufferedImage image = Render.image(chart);
        assertEquals(300, image.getWidth());
        assertEquals(200, image.getHeight());
    }
}
