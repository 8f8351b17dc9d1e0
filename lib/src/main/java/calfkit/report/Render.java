package calfkit.report;

import java.awt.image.BufferedImage;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import tech.tablesaw.api.Table;
import tech.tablesaw.io.html.HtmlWriteOptions;
import tech.tablesaw.io.html.HtmlWriter;
import tech.tablesaw.io.Destination;

import java.io.StringWriter;

/**
 * Turns the kit's charts (XChart) and tables (Tablesaw) into what a notebook shows: a PNG image and an HTML
 * table. The notebook setup file's {@code show(...)} passes these to the kernel's {@code display}.
 */
public final class Render {

    private Render() {
    }

    /** The chart drawn into an image (shown as image/png). */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The whole table as an HTML {@code <table>} (shown as text/html), with its name as caption. */
    public static String html(Table table) {
        StringWriter out = new StringWriter();
        new HtmlWriter().write(table, HtmlWriteOptions.builder(new Destination(out)).build());
        String name = table.name() == null || table.name().isBlank() ? "" : "<p><b>" + escape(table.name()) + "</b></p>";
        return name + out;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
