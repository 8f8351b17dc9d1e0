package calfkit.report;

import java.awt.image.BufferedImage;
import java.io.StringWriter;
import java.util.Locale;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.io.Destination;
import tech.tablesaw.io.html.HtmlWriteOptions;
import tech.tablesaw.io.html.HtmlWriter;


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

    /**
     * The whole table as an HTML {@code <table>} (shown as text/html) in a box that scrolls sideways when the table
     * is wider than the page, with its name as caption and its decimal numbers as a paper prints them
     * ({@link #number}); the table itself (and any CSV written from it) keeps full precision.
     */
    public static String html(Table table) {
        Table shown = Table.create(table.name());
        for (Column<?> c : table.columns()) {
            if (c instanceof DoubleColumn d) {
                StringColumn s = StringColumn.create(c.name());
                boolean spread = spread(c.name());
                d.forEach(v -> s.append(spread ? significant(v, 2) : number(v)));
                shown.addColumns(s);
            } else {
                shown.addColumns(c);
            }
        }
        StringWriter out = new StringWriter();
        new HtmlWriter().write(shown, HtmlWriteOptions.builder(new Destination(out)).build());
        String name = table.name() == null || table.name().isBlank() ? "" : "<p><b>" + escape(table.name()) + "</b></p>";
        // A table wider than the page scrolls sideways instead of being cut off (classic Notebook's 978 px).
        return name + "<div style=\"overflow-x: auto; max-width: 100%; white-space: nowrap\">" + out + "</div>";
    }

    /**
     * A decimal number as the paper's tables print it: four decimals (0.9991) below 10, two below 100, one
     * above; a non-zero value below 0.0001 in scientific notation (a p-value of 3.2e-06); NaN as "–".
     */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a != 0 && a < 1e-4) {
            return String.format(Locale.ROOT, "%.1e", v);
        }
        return String.format(Locale.ROOT, a < 10 ? "%.4f" : a < 100 ? "%.2f" : "%.1f", v);
    }

    /**
     * Whether a column holds a spread or a p-value (its name is {@code p}, ends in {@code " p"} or {@code " sd"}),
     * printed to 2 significant digits as papers print them, not to a metric's 4 decimals.
     */
    static boolean spread(String column) {
        return column.equals("p") || column.endsWith(" p") || column.endsWith(" sd");
    }

    /** {@code v} to {@code digits} significant digits (0.013, 0.00035, 12), without exponent; NaN as "–". */
    public static String significant(double v, int digits) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (v == 0 || Double.isInfinite(v)) {
            return v == 0 ? "0" : Double.toString(v);
        }
        if (Math.abs(v) < 1e-4) {
            return String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
