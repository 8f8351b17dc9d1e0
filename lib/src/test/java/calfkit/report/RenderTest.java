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
    void spreadsAndPValuesGetTwoSignificantDigits() {
        assertEquals("0.013", Render.significant(0.013490735993405667, 2));
        assertEquals("0.00035", Render.significant(0.00034526698300124393, 2));
        assertEquals("0.001", Render.significant(0.0009995002498750624, 2));
        assertEquals("12", Render.significant(12.34, 2));
        assertEquals("3.2e-06", Render.significant(3.2e-6, 2));
        assertEquals("–", Render.significant(Double.NaN, 2));
        String html = Render.html(Table.create("t", DoubleColumn.create("dsc sd", 0.0134907), DoubleColumn.create("Holm p",
                0.0959520), DoubleColumn.create("dsc", 0.9249231)));
        assertTrue(html.contains("<td>0.013</td>") && html.contains("<td>0.096</td>") && html.contains("<td>0.9249</td>"),
                html);
    }

    @Test
    void aColumnWithoutAnyValueIsLeftOutAndNamed() {
        String html = Render.html(Table.create("t", StringColumn.create("loss", "BCE", "Dice"),
                DoubleColumn.create("Δ", 0.01, -0.02), DoubleColumn.create("95% low", Double.NaN, Double.NaN)));
        assertFalse(html.contains("<th>95% low</th>"), html);
        assertTrue(html.contains("Left out, no value in any row: 95% low."), html);
        assertTrue(html.contains("<td>-0.0200</td>"), html);
    }

    @Test
    void aSortableTableSortsFromItsHeaders() {
        String html = Render.sortableHtml(Table.create("t", StringColumn.create("slice", "a", "b"),
                DoubleColumn.create("dsc", 0.5, Double.NaN)));
        assertTrue(html.contains("<th style=\"cursor: pointer\" title=\"sort by this column\" onclick=\""), html);
        assertEquals(2, html.split("onclick=", -1).length - 1, "one handler a column");
        assertFalse(html.substring(html.indexOf("onclick=\"") + 9).split("\"")[0].contains("\""), "the handler quotes nothing");
        assertTrue(html.contains("max-height: 420px") && html.contains("<td>–</td>"), html);
    }

    @Test
    void seedSummariesShowMeanSdAndABoundedIntervalFromThreeSeeds() {
        Table summary = Table.create("s", StringColumn.create("model", "U-Net", "FPN", "FPN"),
                StringColumn.create("loss", "BCE", "BCE", "Dice"), tech.tablesaw.api.IntColumn.create("seeds", 3, 1, 2),
                DoubleColumn.create("dsc", 0.945, 0.85, 0.9), DoubleColumn.create("dsc sd", 0.0212132, Double.NaN, 0.01),
                DoubleColumn.create("dsc 95% low", 0.41234, Double.NaN, 0.2), DoubleColumn.create("dsc 95% high", 0.99891,
                        Double.NaN, 0.99));
        Table shown = PaperTables.seedSummary(summary);
        assertEquals(java.util.List.of("model", "loss", "seeds", "dsc (mean ± sd)", "dsc 95% CI"), shown.columnNames());
        assertEquals("0.9450 ± 0.021", shown.stringColumn("dsc (mean ± sd)").get(0));
        assertEquals("0.412–0.999", shown.stringColumn("dsc 95% CI").get(0));
        assertEquals("0.8500", shown.stringColumn("dsc (mean ± sd)").get(1));
        assertEquals("–", shown.stringColumn("dsc 95% CI").get(1));
        assertEquals("–", shown.stringColumn("dsc 95% CI").get(2), "no interval from two seeds");
        Table twoSeeds = PaperTables.seedSummary(summary.where(summary.intColumn("seeds").isLessThan(3)));
        assertEquals(java.util.List.of("model", "loss", "seeds", "dsc (mean ± sd)"), twoSeeds.columnNames());
        assertTrue(twoSeeds.name().contains("no interval from fewer than 3 seeds"), twoSeeds.name());
        Table oneSeed = PaperTables.seedSummary(summary.where(summary.intColumn("seeds").isEqualTo(1)));
        assertEquals(java.util.List.of("model", "loss", "seeds", "dsc"), oneSeed.columnNames());
        assertTrue(oneSeed.name().startsWith("one training each"), oneSeed.name());
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
