package calfkit.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The papers' published tables, shipped with the kit (resources {@code calfkit/published/*.csv}). Each table
 * is named "published: &lt;source&gt;" so that a notebook never shows a paper's number as if the kit had
 * measured it.
 */
public enum Published {
    CALF_TABLE3_DATASETS("calf-table3-datasets.csv", "CALF paper, Table 3: datasets and split"),
    CALF_TABLE4("calf-table4.csv", "CALF paper, Table 4: three models x BCE, Focal, CALF at ratio 0.409"),
    CALF_TABLE5("calf-table5.csv", "CALF paper, Table 5: FPN x seven losses at ratio 0.1"),
    CALF_POSTER_TABLE1("calf-poster-table1-unet.csv", "CALF poster, Table 1: U-Net"),
    AFL_TABLE3("afl-table3-picai-resnet50-unet.csv", "Adaptive Focal Loss paper, Table 3 (PI-CAI)"),
    AFL_TABLE5_ABLATION("afl-table5-ablation.csv", "Adaptive Focal Loss paper, Table 5 ablation"),
    MODIFIED_BOUNDARY_TABLE1("modified-boundary-table1-acdc.csv", "Modified boundary loss report, Table 1 (ACDC)");

    private final String file;
    private final String source;

    Published(String file, String source) {
        this.file = file;
        this.source = source;
    }

    /** Where the numbers were published. */
    public String source() {
        return source;
    }

    /** The table, named "published: SOURCE". */
    public Table table() {
        try (InputStream in = Published.class.getResourceAsStream("/calfkit/published/" + file)) {
            if (in == null) {
                throw new IllegalStateException("resource calfkit/published/" + file + " is missing from the kit's jar");
            }
            return Table.read().usingOptions(CsvReadOptions.builder(in).tableName("published: " + source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
