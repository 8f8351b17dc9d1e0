package calfkit.report;

import java.util.List;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import calfkit.experiments.GridResults;

/** Tables laid out like the paper's, side by side with the published numbers. */
public final class PaperTables {

    private PaperTables() {
    }

    /**
     * A wide table like the paper's Table 4: one row per {@code rowKey} value, and for each {@code colKey} value
     * the given metrics as columns "LOSS metric".
     */
    public static Table wide(Table longTable, String rowKey, String colKey, List<String> metrics, String name) {
        List<String> rows = GridResults.inOrder(longTable.stringColumn(rowKey));
        List<String> cols = GridResults.inOrder(longTable.stringColumn(colKey));
        Table t = Table.create(name, StringColumn.create(rowKey, rows));
        for (String c : cols) {
            for (String m : metrics) {
                DoubleColumn col = DoubleColumn.create(c + " " + m);
                for (String r : rows) {
                    Table hit = longTable.where(longTable.stringColumn(rowKey).isEqualTo(r)
                            .and(longTable.stringColumn(colKey).isEqualTo(c)));
                    col.append(hit.rowCount() == 0 ? Double.NaN : hit.numberColumn(m).getDouble(0));
                }
                t.addColumns(col);
            }
        }
        return t;
    }

    /** The fewest seeds a 95 % interval over trainings is printed from (two seeds give intervals as wide as [0, 1]). */
    public static final int MIN_SEEDS_FOR_INTERVAL = 3;

    /**
     * A seed summary ({@code GridResults.summary}) as a paper prints it: per metric one cell "mean ± sd" (the mean
     * to 4 decimals, the sd to 2 significant digits) and, from {@value #MIN_SEEDS_FOR_INTERVAL} seeds, one cell with
     * the 95 % confidence interval of the mean ("0.412–0.999", 3 decimals; a Student-t interval on the logit scale, so
     * it stays inside [0, 1]). A row of fewer seeds shows "–" there, and a table where no row has that many has no
     * interval column; one seed: the value alone. The title says which.
     */
    public static Table seedSummary(Table summary) {
        int most = summary.intColumn("seeds").isEmpty() ? 0 : (int) summary.intColumn("seeds").max();
        boolean intervals = most >= MIN_SEEDS_FOR_INTERVAL;
        String title = most <= 1 ? "one training each: the value of that run (measured by this kit)"
                : "mean ± sd over seeds" + (intervals ? ", and the 95% CI of the mean from " + MIN_SEEDS_FOR_INTERVAL
                + " seeds (t interval on the logit scale)" : " (no interval from fewer than " + MIN_SEEDS_FOR_INTERVAL
                + " seeds)") + "; measured by this kit";
        Table t = Table.create(title);
        for (String key : List.of("model", "loss")) {
            if (summary.columnNames().contains(key)) {
                t.addColumns(summary.stringColumn(key).copy());
            }
        }
        t.addColumns(summary.intColumn("seeds").copy());
        for (String name : summary.columnNames()) {
            if (!summary.columnNames().contains(name + " sd") || !summary.columnNames().contains(name + " 95% low")) {
                continue;
            }
            StringColumn mean = StringColumn.create(most <= 1 ? name : name + " (mean ± sd)");
            StringColumn ci = StringColumn.create(name + " 95% CI");
            for (int r = 0; r < summary.rowCount(); r++) {
                double sd = summary.doubleColumn(name + " sd").getDouble(r);
                String m = Render.number(summary.doubleColumn(name).getDouble(r));
                mean.append(Double.isNaN(sd) ? m : m + " ± " + Render.significant(sd, 2));
                double lo = summary.doubleColumn(name + " 95% low").getDouble(r);
                double hi = summary.doubleColumn(name + " 95% high").getDouble(r);
                boolean enough = summary.intColumn("seeds").getInt(r) >= MIN_SEEDS_FOR_INTERVAL;
                ci.append(!enough || Double.isNaN(lo) ? "–" : interval(lo) + "–" + interval(hi));
            }
            t.addColumns(mean);
            if (intervals) {
                t.addColumns(ci);
            }
        }
        return t;
    }

    /** An interval bound: 3 decimals in [0, 10), else 3 significant digits. */
    private static String interval(double v) {
        return Math.abs(v) < 10 ? String.format(java.util.Locale.ROOT, "%.3f", v) : Render.significant(v, 3);
    }

    /**
     * Measured and published values of each metric side by side: one row per (keys), columns
     * "metric (measured)" and "metric (published)".
     */
    public static Table beside(Table measured, Table published, List<String> keys, List<String> metrics, String name) {
        Table t = Table.create(name);
        for (String k : keys) {
            t.addColumns(StringColumn.create(k));
        }
        for (String m : metrics) {
            t.addColumns(DoubleColumn.create(m + " (measured)"), DoubleColumn.create(m + " (published)"));
        }
        for (int row = 0; row < measured.rowCount(); row++) {
            Table hit = published;
            for (String k : keys) {
                t.stringColumn(k).append(measured.stringColumn(k).get(row));
                hit = hit.where(hit.stringColumn(k).isEqualTo(measured.stringColumn(k).get(row)));
            }
            for (String m : metrics) {
                t.doubleColumn(m + " (measured)").append(measured.numberColumn(m).getDouble(row));
                t.doubleColumn(m + " (published)").append(hit.rowCount() == 0 || !hit.columnNames().contains(m)
                        ? Double.NaN : hit.numberColumn(m).getDouble(0));
            }
        }
        return t;
    }
}
