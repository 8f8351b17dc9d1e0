package calfkit.report;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class RenderTest {

    @Test
    void numbersArePrintedAsThePaperPrintsThem() {
        assertEquals("0.9934", Render.number(0.9933935801188151));
        assertEquals("-1.1025", Render.number(-1.1025068960566455));
        assertEquals("12.35", Render.number(12.3456));
        assertEquals("589838.0", Render.number(589838));
        assertEquals("3.2e-06", Render.number(3.2e-6));
        assertEquals("0.0000", Render.number(0));
        assertEquals("–", Render.number(Double.NaN));
    }

    @Test
    void htmlShowsFormattedNumbersAndKeepsTheTableAsItWas() {
        Table t = Table.create("t", StringColumn.create("loss", "BCE"), DoubleColumn.create("dsc", 0.9933935801188151));
        String html = Render.html(t);
        assertTrue(html.contains("<td>0.9934</td>"), html);
        assertFalse(html.contains("0.99339358"), html);
        assertTrue(html.contains("<div style=\"overflow-x: auto"), "wide tables scroll: " + html);
        assertEquals(0.9933935801188151, t.doubleColumn("dsc").get(0), 0);
    }
}
