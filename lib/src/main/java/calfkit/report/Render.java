package calfkit.report;

import java.awt.image.BufferedImage;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The chart drawn into an image (shown as image/png), its title drawn by the kit above it: XChart centres a
     * title over the plot area, so beside a wide legend a long title ran off the image's left edge. Here it is
     * centred over the whole image when it fits, else starts at the left margin, and the image widens to hold it.
     */
    public static BufferedImage image(Chart<?, ?> chart) {
        String title = chart.getTitle();
        if (title == null || title.isBlank() || !chart.getStyler().isChartTitleVisible()) {
            return BitmapEncoder.getBufferedImage(chart);
        }
        chart.getStyler().setChartTitleVisible(false);
        BufferedImage plot;
        try {
            plot = BitmapEncoder.getBufferedImage(chart);
        } finally {
            chart.getStyler().setChartTitleVisible(true);
        }
        java.awt.Font font = chart.getStyler().getChartTitleFont();
        int pad = 10;
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D measure = scratch.createGraphics();
        java.awt.FontMetrics fm = measure.getFontMetrics(font);
        measure.dispose();
        int textWidth = fm.stringWidth(title);
        int width = Math.max(plot.getWidth(), textWidth + 2 * pad);
        int band = fm.getHeight() + pad;
        BufferedImage out = new BufferedImage(width, plot.getHeight() + band, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(chart.getStyler().getChartBackgroundColor());
            g.fillRect(0, 0, width, out.getHeight());
            g.drawImage(plot, 0, band, null);
            g.setFont(font);
            g.setColor(chart.getStyler().getChartFontColor());
            int x = textWidth + 2 * pad <= plot.getWidth() ? (plot.getWidth() - textWidth) / 2 : pad;
            g.drawString(title, x, pad / 2 + fm.getAscent());
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * The whole table as an HTML {@code <table>} (shown as text/html) in a box that scrolls sideways when the table
     * is wider than the page, with its name as caption and its decimal numbers as a paper prints them
     * ({@link #number}); the table itself (and any CSV written from it) keeps full precision. A decimal column with
     * no value in any row (NaN throughout, e.g. an interval from fewer than 3 seeds) is left out and named below the
     * caption.
     */
    public static String html(Table table) {
        Table shown = Table.create(table.name());
        List<String> empty = new ArrayList<>();
        for (Column<?> c : table.columns()) {
            if (c instanceof DoubleColumn d && table.rowCount() > 0 && d.countMissing() == d.size()) {
                empty.add(c.name());  // no value in any row (e.g. an interval from fewer than 3 seeds): left out
            } else if (c instanceof DoubleColumn d) {
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
        if (!empty.isEmpty()) {
            name += "<p style=\"font-size: smaller\">Left out, no value in any row: " + escape(String.join(", ", empty))
                    + ".</p>";
        }
        // A table wider than the page scrolls sideways instead of being cut off (classic Notebook's 978 px).
        return name + "<div style=\"overflow-x: auto; max-width: 100%; white-space: nowrap\">" + out + "</div>";
    }

    /**
     * The table as {@link #html} does, sortable in the page: a click on a column's header sorts the rows by it,
     * a second click reverses the order; numbers sort as numbers, "–" (NaN) last. The sorting is a few lines of
     * JavaScript in the headers' {@code onclick}, which classic Notebook runs in a live session and in a trusted
     * notebook, and the HTML export keeps; elsewhere the table stays as printed. Tall tables scroll in a box
     * 420 pixels high.
     */
    public static String sortableHtml(Table table) {
        String sort = "(function(h){var t=h.closest('table'),b=t.tBodies[0],i=h.cellIndex,up=h.dataset.up!=='1';"
                + "h.dataset.up=up?'1':'0';var rows=Array.prototype.slice.call(b.rows);rows.sort(function(x,y){"
                + "var a=x.cells[i].textContent,c=y.cells[i].textContent,p=parseFloat(a),q=parseFloat(c);"
                + "if(isNaN(p)!==isNaN(q)){return isNaN(p)?1:-1;}var r=isNaN(p)?a.localeCompare(c):p-q;return up?r:-r;});"
                + "rows.forEach(function(r){b.appendChild(r);});})(this)";
        String html = html(table).replace("<th>", "<th style=\"cursor: pointer\" title=\"sort by this column\" onclick=\""
                + sort + "\">");
        return html.replace("<div style=\"overflow-x: auto; max-width: 100%; white-space: nowrap\">",
                "<p style=\"font-size: smaller\">Click a column's name to sort by it; click again to reverse.</p>"
                        + "<div style=\"overflow: auto; max-width: 100%; max-height: 420px; white-space: nowrap\">");
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
