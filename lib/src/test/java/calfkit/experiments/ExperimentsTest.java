package calfkit.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Seed summaries and paired comparisons, against values computed by hand and by SciPy (in the comments). */
class ExperimentsTest {

    private static Table runs(String[] models, String[] losses, int[] seeds, double[] dsc) {
        return Table.create("runs", StringColumn.create("model", models), StringColumn.create("loss", losses),
                IntColumn.create("seed", seeds), DoubleColumn.create("dsc", dsc));
    }

    @Test
    void summaryGivesMeanSdAndABoundedIntervalPerModelAndLossInTheGridsOrder() {
        Table t = runs(new String[] {"U-Net", "U-Net", "FPN", "FPN"}, new String[] {"BCE", "BCE", "BCE", "BCE"},
                new int[] {1, 2, 1, 2}, new double[] {0.9, 0.8, 0.5, 0.5});
        Table s = GridResults.summary(t, List.of("dsc"));
        assertEquals(List.of("U-Net", "FPN"), s.stringColumn("model").asList(), "the runs' order, not sorted");
        assertEquals(0.85, s.doubleColumn("dsc").get(0), 1e-12);
        assertEquals(0.07071067811865474, s.doubleColumn("dsc sd").get(0), 1e-12); // statistics.stdev([0.9, 0.8])
        double low = s.doubleColumn("dsc 95% low").get(0);
        double high = s.doubleColumn("dsc 95% high").get(0);
        assertTrue(0 < low && low < 0.85 && 0.85 < high && high < 1, low + " – " + high);
        assertEquals(0, s.doubleColumn("dsc sd").get(1), 1e-12);
        assertEquals(2, s.intColumn("seeds").get(1));
    }

    @Test
    void pairedMatchesScipysPairedTTest() {
        Table t = runs(new String[] {"U-Net", "U-Net", "U-Net", "U-Net", "U-Net", "U-Net"},
                new String[] {"CALF", "CALF", "CALF", "BCE", "BCE", "BCE"}, new int[] {1, 2, 3, 1, 2, 3},
                new double[] {0.91, 0.92, 0.93, 0.90, 0.90, 0.90});
        Table p = GridResults.paired(t, "CALF", "dsc");
        assertEquals(1, p.rowCount());
        assertEquals("BCE", p.stringColumn("compared with").get(0));
        assertEquals(0.02, p.doubleColumn(2).get(0), 1e-12);
        // scipy.stats.ttest_rel([0.91, 0.92, 0.93], [0.90, 0.90, 0.90]).pvalue
        assertEquals(0.07417990022744853, p.doubleColumn(3).get(0), 1e-9);
    }

    @Test
    void aCollapsedRunIsAtItsPlateauAndSaidSoAsCalfConvergenceSaysIt() {
        tech.tablesaw.api.Table runs = tech.tablesaw.api.Table.create("runs",
                tech.tablesaw.api.StringColumn.create("model", "U-Net", "U-Net"),
                tech.tablesaw.api.StringColumn.create("loss", "Fisher", "BCE"), tech.tablesaw.api.IntColumn.create("seed", 3, 3),
                tech.tablesaw.api.StringColumn.create("convergence", "COLLAPSED (validation DSC < 0.10 over the last 2 of 6 "
                        + "epochs; best 0.000 at epoch 1)", "plateau"));
        String text = Experiments.convergence(runs);
        org.junit.jupiter.api.Assertions.assertTrue(text.startsWith("converged: 2 of 2 runs reached their plateau, of which 1 "
                + "collapsed to a degenerate prediction"), text);
    }
}
