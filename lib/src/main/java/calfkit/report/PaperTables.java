package calfkit.report;

import java.util.List;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Tables laid out like the paper's, side by side with the published numbers. */
public final class PaperTables {

    private PaperTables() {
    }

    /**
     * A wide table like the paper's Table 4: one row per {@code rowKey} value, and for each {@code colKey} value
     * the given metrics as columns "LOSS metric".
     */
    public static Table wide(Table longTable, String rowKey, String colKey, List<String> metrics, String name) {
        List<String> rows = longTable.stringColumn(rowKey).unique().asList();
        List<String> cols = longTable.stringColumn(colKey).unique().asList();
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
