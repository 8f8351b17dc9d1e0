package calfkit.experiments;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

import calfkit.data.SliceIndex;
import calfkit.metrics.SeedStatistics;
import calfkit.model.Models;
import calfkit.train.RunFolder;
import calfkit.train.TrainConfig;
import calfkit.train.TrainingRun;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A notebook's grid of training runs (models × losses × seeds), each in its own run folder under one
 * experiment folder, and their test metrics (the authors' reduction) as one Tablesaw table, also saved as
 * {@code results.csv}. A run whose folder already holds its test metrics is read, not retrained, so a
 * notebook re-renders its tables without training again; a folder holding an unfinished run is resumed.
 */
public final class Experiments {

    /** One run of the grid. */
    public record Run(String model, String loss, long seed) {
    }

    private Experiments() {
    }

    /**
     * Runs (or reads back) every run of the grid and returns one row per run: model, loss, seed and the test
     * metrics (accuracy, dsc, iou, specificity, sensitivity, precision, mae, hd95), plus the CALF branch.
     *
     * @param log progress lines (one per run); the trainer's own output goes to {@code dir/RUN/train.log}
     */
    public static Table run(String name, Path dir, SliceIndex index, ExperimentPlan plan, List<String> models,
                            List<String> losses, double ratio, PrintStream log) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (String model : models) {
            for (String loss : losses) {
                for (long seed : plan.seeds()) {
                    runs.add(new Run(model, loss, seed));
                }
            }
        }
        StringColumn model = StringColumn.create("model");
        StringColumn loss = StringColumn.create("loss");
        IntColumn seed = IntColumn.create("seed");
        Map<String, DoubleColumn> metrics = new LinkedHashMap<>();
        for (String m : List.of("accuracy", "dsc", "iou", "specificity", "sensitivity", "precision", "mae", "hd95")) {
            metrics.put(m, DoubleColumn.create(m));
        }
        StringColumn branch = StringColumn.create("calf_branch");
        StringColumn source = StringColumn.create("source");
        long t0 = System.nanoTime();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            TrainConfig c = plan.config(r.model(), r.loss(), ratio, r.seed());
            Path runDir = dir.resolve(Models.normalise(r.model()) + "-" + r.loss() + "-seed" + r.seed());
            boolean cached = Files.isRegularFile(runDir.resolve("test-metrics.json"));
            if (!cached) {
                boolean resume = Files.isRegularFile(runDir.resolve(RunFolder.CONFIG));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                    TrainingRun.train(c, index, runDir, resume, p);
                } finally {
                    Files.createDirectories(runDir);
                    Files.write(runDir.resolve("train.log"), out.toByteArray());
                }
            }
            JsonObject authors = new Gson().fromJson(Files.readString(runDir.resolve("test-metrics.json")), JsonObject.class)
                    .getAsJsonObject("authors");
            model.append(Models.label(r.model()));
            loss.append(label(r.loss()));
            seed.append((int) r.seed());
            metrics.forEach((k, col) -> col.append(authors.get(k).isJsonNull() ? Double.NaN : authors.get(k).getAsDouble()));
            branch.append(calfBranch(runDir));
            source.append(cached ? "read from an earlier run" : "trained now");
            log.printf("[%d/%d] %s %s seed %d: DSC %.4f (%s, %.0f s so far)%n", i + 1, runs.size(), Models.label(r.model()),
                    label(r.loss()), r.seed(), metrics.get("dsc").get(metrics.get("dsc").size() - 1),
                    cached ? "read" : "trained", (System.nanoTime() - t0) / 1e9);
        }
        Table t = Table.create(name + " (measured by this kit)", model, loss, seed);
        metrics.values().forEach(t::addColumns);
        t.addColumns(branch, source);
        Files.createDirectories(dir);
        t.write().csv(dir.resolve("results.csv").toFile());
        return t;
    }

    /** The loss's name as the papers' tables print it. */
    public static String label(String loss) {
        return switch (loss) {
            case "bce" -> "BCE";
            case "focal" -> "Focal";
            case "calf" -> "CALF";
            case "calf-batch" -> "CALF (per batch)";
            case "dice" -> "Dice";
            case "tversky" -> "Tversky";
            case "iou" -> "IoU";
            case "bce-dice" -> "BCE-Dice";
            case "afl" -> "A-FL";
            case "boundary" -> "Boundary";
            case "modified-boundary" -> "Modified boundary";
            default -> loss;
        };
    }

    private static String calfBranch(Path runDir) throws IOException {
        List<String> lines = Files.readAllLines(runDir.resolve(RunFolder.METRICS));
        String last = lines.get(lines.size() - 1);
        String[] f = last.split(",", -1);
        return f.length > 7 ? f[7] : "";
    }

    /**
     * Mean ± 95 % CI over seeds of each metric, one row per (model, loss), in the order they first appear.
     */
    public static Table summary(Table runs, List<String> metricNames) {
        Table keys = runs.selectColumns("model", "loss").dropDuplicateRows();
        StringColumn model = StringColumn.create("model");
        StringColumn loss = StringColumn.create("loss");
        IntColumn n = IntColumn.create("seeds");
        List<DoubleColumn> means = new ArrayList<>();
        List<DoubleColumn> halves = new ArrayList<>();
        for (String m : metricNames) {
            means.add(DoubleColumn.create(m));
            halves.add(DoubleColumn.create(m + " ±95%"));
        }
        for (int row = 0; row < keys.rowCount(); row++) {
            String mo = keys.stringColumn("model").get(row);
            String lo = keys.stringColumn("loss").get(row);
            Table sub = runs.where(runs.stringColumn("model").isEqualTo(mo).and(runs.stringColumn("loss").isEqualTo(lo)));
            model.append(mo);
            loss.append(lo);
            n.append(sub.rowCount());
            for (int k = 0; k < metricNames.size(); k++) {
                SeedStatistics.MeanCi ci = SeedStatistics.meanCi(sub.doubleColumn(metricNames.get(k)).asDoubleArray());
                means.get(k).append(ci.mean());
                halves.get(k).append(ci.halfWidth());
            }
        }
        Table t = Table.create("mean and 95% CI over seeds (measured by this kit)", model, loss, n);
        for (int k = 0; k < metricNames.size(); k++) {
            t.addColumns(means.get(k), halves.get(k));
        }
        return t;
    }

    /**
     * Paired comparisons of one loss against each other loss on the same model and seeds: mean difference of
     * a metric and the paired t-test's p-value (Commons Math); "significant" at 0.05.
     */
    public static Table paired(Table runs, String reference, String metric) {
        StringColumn model = StringColumn.create("model");
        StringColumn other = StringColumn.create("compared with");
        DoubleColumn diff = DoubleColumn.create("mean " + metric + " difference (" + reference + " − other)");
        DoubleColumn p = DoubleColumn.create("paired t-test p");
        StringColumn verdict = StringColumn.create("at 0.05");
        for (String mo : runs.stringColumn("model").unique().asList()) {
            Table ofModel = runs.where(runs.stringColumn("model").isEqualTo(mo));
            Table ref = ofModel.where(ofModel.stringColumn("loss").isEqualTo(reference)).sortAscendingOn("seed");
            for (String lo : ofModel.stringColumn("loss").unique().asList()) {
                if (lo.equals(reference)) {
                    continue;
                }
                Table o = ofModel.where(ofModel.stringColumn("loss").isEqualTo(lo)).sortAscendingOn("seed");
                model.append(mo);
                other.append(lo);
                if (ref.rowCount() < 2 || o.rowCount() != ref.rowCount()) {
                    diff.append(ref.rowCount() == 1 && o.rowCount() == 1
                            ? ref.doubleColumn(metric).get(0) - o.doubleColumn(metric).get(0) : Double.NaN);
                    p.append(Double.NaN);
                    verdict.append("needs ≥ 2 seeds");
                    continue;
                }
                SeedStatistics.Paired t = SeedStatistics.paired(ref.doubleColumn(metric).asDoubleArray(),
                        o.doubleColumn(metric).asDoubleArray());
                diff.append(t.meanDifference());
                p.append(t.tTestP());
                verdict.append(t.significant(0.05) ? "significant" : "not significant");
            }
        }
        return Table.create(reference + " against the other losses, paired over seeds (measured by this kit)",
                model, other, diff, p, verdict);
    }
}
