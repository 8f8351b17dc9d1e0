package calfkit.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.GsonBuilder;
import tech.tablesaw.api.Table;

import calfkit.config.Settings;
import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.data.source.Datasets;
import calfkit.metrics.Evaluation;
import calfkit.metrics.Reduction;
import calfkit.train.RunEvaluation;
import calfkit.train.RunFolder;
import calfkit.train.RunLock;

/** {@code calf eval}: the test metrics of a run's best model on a dataset's test split. */
final class EvalCommand implements Command {

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "test metrics of a trained run's best model (accuracy, DSC, IoU, ..., HD95)";
    }

    @Override
    public String usage() {
        return """
                usage: calf eval --run RUNDIR [--data DIR] [--json] [--write]
                  --data   the dataset (default: CALF_DATA, else the embedded phantom dataset); its test split is
                           taken with the run's seed
                  with several modalities (calf convert --modality A,B), the metrics of each scan type too
                  --write  also rewrite the run's test files (test-metrics.json, test-per-slice.csv,
                           test-dsc-by-size.csv, test-by-modality.csv), atomically, holding the run folder's lock; only with the dataset
                           the run trained on""";
    }

    @Override
    public int run(List<String> argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of("--run", "--data"), Set.of("--json", "--write"));
        RunFolder run = new RunFolder(Path.of(a.require("--run")));
        String data = a.get("--data", null);
        SliceIndex index = data == null ? Datasets.open(Settings.fromEnvironment()) : SliceIndex.read(Path.of(data));
        Evaluation e;
        if (a.flag("--write")) {
            run.config();  // a run folder, before anything is locked or written
            try (RunLock lock = run.lock()) {
                run.checkSameData(index, "eval --write");
                e = RunEvaluation.evaluateRun(run, index);
                RunEvaluation.writeTestResults(run, e);
            }
            out.println("wrote the test files of " + run.dir());
        } else {
            e = RunEvaluation.evaluateRun(run, index);
        }
        Table byModality = e.byModality("by modality", Slice::modalityOf);
        if (a.flag("--json")) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (Reduction r : Reduction.values()) {
                o.put(r.name().toLowerCase(), e.metrics(r));
            }
            o.put("images", e.images().size());
            if (byModality.rowCount() > 1) {
                Map<String, Object> rows = new LinkedHashMap<>();
                for (int i = 0; i < byModality.rowCount(); i++) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c < byModality.columnCount(); c++) {
                        row.put(byModality.column(c).name(), byModality.column(c).get(i));
                    }
                    rows.put(byModality.stringColumn(0).get(i), row);
                }
                o.put("by_modality", rows);
            }
            out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(o));
        } else {
            for (Reduction r : Reduction.values()) {
                out.printf("%-9s %s%n", r.name().toLowerCase(), RunEvaluation.format(e.metrics(r)));
            }
            out.printf("images    %d (HD95 undefined for %d)%n", e.images().size(), e.hd95Undefined());
            if (byModality.rowCount() > 1) {
                out.println("by scan type (each image alone, 0/0 = 1, averaged, as the authors' Solver.analyze_model):");
                for (int i = 0; i < byModality.rowCount(); i++) {
                    out.printf(Locale.ROOT, "  %-8s %5d images: dsc %.4f, specificity %.4f, sensitivity %.4f; pooled dsc %.4f%n",
                            byModality.stringColumn(0).get(i), byModality.intColumn(1).get(i), byModality.doubleColumn(2).get(i),
                            byModality.doubleColumn(3).get(i), byModality.doubleColumn(4).get(i), byModality.doubleColumn(5).get(i));
                }
            }
        }
        return 0;
    }
}
