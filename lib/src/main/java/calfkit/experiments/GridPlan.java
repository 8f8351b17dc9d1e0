package calfkit.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import calfkit.config.Protocol;
import calfkit.config.Scale;
import calfkit.data.RunData;
import calfkit.io.AtomicFiles;
import calfkit.model.Models;
import calfkit.train.Recipe;
import calfkit.train.RunFolder;
import calfkit.train.TestMetrics;
import calfkit.train.TrainConfig;

/**
 * A grid of training runs written down: one row per run, with its run-folder name and what its training config is
 * made of (the scale's defaults, {@link TrainConfig#forScale}, with the row's ratio, seed, epochs and recipe), saved as
 * a CSV file. A notebook and a cluster share one definition: {@link Experiments#run(Grid, Path,
 * calfkit.data.SliceIndex, ExperimentPlan, calfkit.train.ProgressDisplay)} writes its grid as
 * {@code RESULTS/<grid file>.grid.csv}, {@code calf grid plan} writes {@code GRIDDIR/grid.csv}, and the same
 * arguments give the same file.
 *
 * <p>Layout around the file (its folder is the grid's base): run folders in {@code base/runs/<run>}
 * ({@link Grid#runName}); each task's log and exit status in {@code base/logs/<run>.log} and {@code <run>.exit};
 * the results table in {@code base/results.csv} (for {@code grid.csv}) or {@code base/<name>.csv} (for
 * {@code <name>.grid.csv}, the file the notebooks write).
 *
 * @param file the grid's CSV file
 * @param rows its runs, in order: models, then losses, ratios, seeds
 */
public record GridPlan(Path file, List<Row> rows) {

    /** The grid file of a grid folder made by {@code calf grid plan}. */
    public static final String FILE = "grid.csv";

    /** The suffix of a grid file written beside other grids (the notebooks' results folder). */
    public static final String SUFFIX = ".grid.csv";

    /** The folder, beside the grid file, of the tasks' logs and exit statuses. */
    public static final String LOGS = "logs";

    static final String HEADER = "row,run,model,loss,ratio,seed,epochs,recipe,protocol,split,scale,data";

    /** The header of grid files planned before the split column (their rows split as their protocol does). */
    static final String HEADER_WITHOUT_SPLIT = "row,run,model,loss,ratio,seed,epochs,recipe,protocol,scale,data";

    /** The header of grid files planned before the protocol column (their rows are the kit's protocol). */
    static final String HEADER_WITHOUT_PROTOCOL = "row,run,model,loss,ratio,seed,epochs,recipe,scale,data";

    /**
     * One run of a grid.
     *
     * @param row    its index in the grid, from 0 (a Slurm array task's {@code SLURM_ARRAY_TASK_ID})
     * @param run    its run-folder name ({@link Grid#runName})
     * @param ratio  tumour-slice ratio of the training sample (NaN: the dataset's natural ratio)
     * @param epochs epochs to train
     * @param split  what the split keeps together (written out even where it is the protocol's)
     * @param data   the dataset folder (slice layout), absolute
     */
    public record Row(int row, String run, String model, String loss, double ratio, long seed, int epochs, Recipe recipe,
                      Protocol protocol, RunData.SplitUnit split, Scale scale, Path data) {

        /**
         * The training config of this run: the scale's defaults under the row's protocol with this row's ratio,
         * seed, epochs, recipe and split.
         */
        public TrainConfig config() {
            return TrainConfig.forScale(scale, protocol, model, loss).toBuilder().ratio(ratio).seed(seed).epochs(epochs)
                    .recipe(recipe).split(split).build();
        }

        /**
         * The {@code calf train} arguments that train (or resume) this run into {@code runDir} with {@link #config()}
         * when {@code CALF_SCALE} is this row's scale.
         */
        public List<String> trainArguments(Path runDir) {
            List<String> a = new ArrayList<>(List.of("--data", data.toString(), "--model", model, "--loss", loss));
            if (!Double.isNaN(ratio)) {
                a.addAll(List.of("--ratio", Double.toString(ratio)));
            }
            a.addAll(List.of("--seed", Long.toString(seed), "--epochs", Integer.toString(epochs), "--recipe",
                    recipe.label(), "--protocol", protocol.label(), "--split", split.label(), "--out", runDir.toString(),
                    "--resume"));
            return a;
        }

        /** This row with its dataset folder replaced (the same runs on data that moved, e.g. another user's cache). */
        Row withData(Path folder) {
            return new Row(row, run, model, loss, ratio, seed, epochs, recipe, protocol, split, scale, folder);
        }

        String toCsv() {
            return String.join(",", Integer.toString(row), run, model, loss, ratioText(ratio), Long.toString(seed),
                    Integer.toString(epochs), recipe.label(), protocol.label(), split.label(), scale.label(),
                    csvField(data.toString()));
        }
    }

    /** Where a run stands, as {@code calf grid status} shows it. */
    public enum State {
        /** Every epoch of its config is recorded and its test metrics are written. */
        DONE,
        /** A process holds its folder's lock now. */
        RUNNING,
        /** Its last task ended with an error (exit status 1 or 2): see its log. */
        FAILED,
        /** Stopped part-way (cancelled, preempted, killed): the next task resumes it from its last epoch. */
        STOPPED,
        /** Its run record (config.json) cannot be read: {@link #damage(Row)} says why; no task can resume it. */
        DAMAGED,
        /** Not started. */
        TO_DO;

        /** The word {@code calf grid status} prints. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    public GridPlan {
        file = file.toAbsolutePath().normalize();
        rows = List.copyOf(rows);
    }

    /**
     * The grid of models × losses × ratios × seeds at a scale, every run on {@code data}.
     *
     * @param protocol the protocol of every run
     * @param split    the split of every run (null: the protocol's)
     * @param recipe   the recipe of every run (null: the scale's under the protocol)
     * @param epochs   epochs of every run (0: the scale's)
     */
    public static GridPlan of(Path file, List<String> models, List<String> losses, List<Double> ratios, List<Long> seeds,
                              Scale scale, Protocol protocol, RunData.SplitUnit split, Recipe recipe, int epochs,
                              Path data) {
        if (models.isEmpty() || losses.isEmpty() || ratios.isEmpty() || seeds.isEmpty()) {
            throw new IllegalArgumentException("a grid needs at least one model, loss, ratio and seed; got models " + models
                    + ", losses " + losses + ", ratios " + ratios + ", seeds " + seeds);
        }
        List<Row> rows = new ArrayList<>();
        Path d = data.toAbsolutePath().normalize();
        for (String model : models) {
            for (String loss : losses) {
                for (double ratio : ratios) {
                    for (long seed : seeds) {
                        // validates model and loss, and the ratio, seed and epochs against the ranges of a run's config
                        TrainConfig defaults = TrainConfig.forScale(scale, protocol, model, loss);
                        defaults.toBuilder().ratio(ratio).seed(seed).epochs(epochs > 0 ? epochs : defaults.epochs()).build();
                        rows.add(new Row(rows.size(), Grid.runName(model, loss, ratio, seed), defaults.model(),
                                defaults.loss(), ratio, seed, epochs > 0 ? epochs : defaults.epochs(),
                                recipe != null ? recipe : defaults.effectiveRecipe(), protocol,
                                split != null ? split : defaults.splitUnit(), scale, d));
                    }
                }
            }
        }
        java.util.Map<String, Row> byRun = new java.util.HashMap<>();
        for (Row r : rows) {
            Row other = byRun.putIfAbsent(r.run(), r);
            if (other != null) {
                throw new IllegalArgumentException("rows " + other.row() + " and " + r.row() + " are the same run, " + r.run()
                        + " (model " + other.model() + ", loss " + other.loss() + ", ratio " + other.ratio() + ", seed "
                        + other.seed() + " against " + r.model() + ", " + r.loss() + ", " + r.ratio() + ", " + r.seed()
                        + "; ratios are kept to 3 decimals); give each model, loss, ratio and seed once");
            }
        }
        return new GridPlan(file, rows);
    }

    /**
     * A notebook's grid under a plan: {@code results/<grid file>.grid.csv}, the plan's protocol, the grid's split
     * (null: the protocol's), the scale's recipe and epochs (the grid's own at the quick scale, {@link Grid#epochs}).
     */
    public static GridPlan of(Grid grid, ExperimentPlan plan, Path results, Path data) {
        return of(results.resolve(grid.file() + SUFFIX), grid.models(), grid.losses(), List.of(grid.ratio()),
                grid.seeds(plan), plan.scale(), plan.protocol(), grid.split(), null, grid.epochs(plan), data);
    }

    /** The folder that holds the grid file, its {@code runs/} and {@code logs/}. */
    public Path base() {
        return file.getParent();
    }

    /** The run folder of a row. */
    public Path runDir(Row row) {
        return base().resolve(Experiments.RUNS).resolve(row.run());
    }

    /** The log a task of this row appends to. */
    public Path log(Row row) {
        return base().resolve(LOGS).resolve(row.run() + ".log");
    }

    /** The file holding the exit status of the row's last task. */
    public Path exitFile(Row row) {
        return base().resolve(LOGS).resolve(row.run() + ".exit");
    }

    /** The results table {@code calf grid collect} writes (the notebooks' {@code <grid file>.csv}). */
    public Path resultsFile() {
        String name = file.getFileName().toString();
        return base().resolve(name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) + ".csv"
                : "results.csv");
    }

    /** The grid file's text. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        rows.forEach(r -> sb.append(r.toCsv()).append('\n'));
        return sb.toString();
    }

    /**
     * Writes the grid file. A file already there is kept when it holds this grid (rewritten in this format when
     * it was planned before the protocol or the split column, or with its dataset folder where this grid's is now,
     * its rows otherwise unchanged), and refused when it holds another: its runs were planned under other settings
     * and must not be read back as this grid's. A dataset folder may move (a results folder copied to another
     * user, whose embedded phantom lives in their own cache): each finished run is then read back only when it
     * trained on the same dataset, by its index's fingerprint ({@code RunFolder#checkSameData}).
     */
    public void write() throws IOException {
        String text = toCsv();
        if (Files.isRegularFile(file)) {
            String before = Files.readString(file, StandardCharsets.UTF_8);
            if (before.equals(text)) {
                return;
            }
            boolean older = before.startsWith(HEADER_WITHOUT_SPLIT + "\n") || before.startsWith(HEADER_WITHOUT_PROTOCOL + "\n");
            List<Row> there = older || before.startsWith(HEADER + "\n") ? read(file).rows() : List.of();
            if (!rows.isEmpty() && there.size() == rows.size()
                    && IntStream.range(0, rows.size()).allMatch(i -> there.get(i).withData(rows.get(i).data()).equals(rows.get(i)))) {
                AtomicFiles.writeString(file, text);
                return;
            }
            throw new IOException(file + ": holds another grid (" + firstDifference(before, text) + "); plan into "
                    + "another folder, or move that grid away first");
        }
        Files.createDirectories(base());
        AtomicFiles.writeString(file, text);
    }

    /**
     * Reads a grid: {@code path} is a grid folder (its {@code grid.csv}) or a grid file.
     *
     * @throws IOException naming the file and line that is not a grid row
     */
    public static GridPlan read(Path path) throws IOException {
        Path f = Files.isDirectory(path) ? path.resolve(FILE) : path;
        if (!Files.isRegularFile(f)) {
            throw new IOException(f + ": no grid here; make one with calf grid plan (or name a .grid.csv file)");
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        String header = lines.isEmpty() ? "" : lines.get(0);
        if (!header.equals(HEADER) && !header.equals(HEADER_WITHOUT_SPLIT) && !header.equals(HEADER_WITHOUT_PROTOCOL)) {
            throw new IOException(f + ": not a grid file; line 1 must be '" + HEADER + "'");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add(parse(inThisFormat(header, line), rows.size()));
            } catch (IllegalArgumentException e) {
                throw new IOException(f + ", line " + (i + 1) + ": " + e.getMessage() + " (" + line + ")", e);
            }
        }
        if (rows.isEmpty()) {
            throw new IOException(f + ": the grid has no rows");
        }
        return new GridPlan(f, rows);
    }

    /**
     * A row of an older grid file in this format: the kit's protocol inserted after its recipe (planned before the
     * protocol column), its protocol's split after the protocol (planned before the split column).
     */
    private static String inThisFormat(String header, String line) {
        String l = line;
        if (header.equals(HEADER_WITHOUT_PROTOCOL)) {
            l = insertAfter(l, 8, Protocol.KIT.label());
        }
        if (!header.equals(HEADER)) {
            String[] f = l.split(",", 10);
            l = f.length < 10 ? l : insertAfter(l, 9, TrainConfig.protocolSplit(Protocol.parse(f[8], "protocol")).label());
        }
        return l;
    }

    private static String insertAfter(String line, int fields, String value) {
        String[] f = line.split(",", fields + 1);
        return f.length <= fields ? line : String.join(",", java.util.Arrays.copyOf(f, fields)) + "," + value + ","
                + f[fields];
    }

    private static Row parse(String line, int expectedRow) {
        String[] f = line.split(",", 12);
        if (f.length != 12) {
            throw new IllegalArgumentException("expected 12 fields (" + HEADER + "), found " + f.length);
        }
        int row = Integer.parseInt(f[0]);
        if (row != expectedRow) {
            throw new IllegalArgumentException("row " + row + " where row " + expectedRow + " was expected");
        }
        double ratio = f[4].equals("natural") ? Double.NaN : Double.parseDouble(f[4]);
        long seed = Long.parseLong(f[5]);
        String run = Grid.runName(f[2], f[3], ratio, seed);
        if (!run.equals(f[1])) {
            throw new IllegalArgumentException("run '" + f[1] + "' does not match its model, loss, ratio and seed ('"
                    + run + "')");
        }
        String data = f[11].startsWith("\"") ? f[11].substring(1, f[11].length() - 1).replace("\"\"", "\"") : f[11];
        Row r = new Row(row, run, Models.normalise(f[2]), f[3], ratio, seed, Integer.parseInt(f[6]), Recipe.parse(f[7]),
                Protocol.parse(f[8], "protocol"), RunData.SplitUnit.parse(f[9], "split"), Scale.parse(f[10]),
                Path.of(data));
        r.config(); // validates model, loss, ratio and epochs
        return r;
    }

    /**
     * Why a row's run record cannot be read (its config.json holds invalid JSON, or values outside their ranges,
     * or of another run; its test-metrics.json is cut short or edited), as the kit's message naming the file; empty
     * when it can, or when there is none yet.
     */
    public java.util.Optional<String> damage(Row row) {
        Path dir = runDir(row);
        if (!Files.isRegularFile(dir.resolve(RunFolder.CONFIG))) {
            return java.util.Optional.empty();
        }
        try {
            RunFolder folder = new RunFolder(dir);
            TrainConfig saved = folder.config();
            if (!saved.sameRunAs(row.config())) {
                return java.util.Optional.of(dir.resolve(RunFolder.CONFIG) + ": a run of other settings than this row's: "
                        + String.join(", ", saved.differencesFrom(row.config())));
            }
            if (folder.finished()) {
                TestMetrics.read(folder);  // a truncated or edited test-metrics.json, named
            }
            return java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /** Where a row's run stands: from its run folder, its lock and its last task's exit status. */
    public State state(Row row) throws IOException {
        return status(row).state();
    }

    /** A row's state and, for a damaged run, what is wrong with it (empty otherwise). */
    public record Status(State state, String damage) {
    }

    /** {@link #state} with the damage found on the way (each run file read once). */
    public Status status(Row row) throws IOException {
        RunFolder folder = new RunFolder(runDir(row));
        java.util.Optional<String> damage = damage(row);
        if (damage.isPresent() && !folder.locked()) {
            return new Status(State.DAMAGED, damage.get());
        }
        return new Status(liveState(row, folder), "");
    }

    private State liveState(Row row, RunFolder folder) throws IOException {
        if (folder.complete(row.epochs())) {
            return State.DONE;
        }
        if (folder.locked()) {
            return State.RUNNING;
        }
        Path exit = exitFile(row);
        if (Files.isRegularFile(exit)) {
            String code = Files.readString(exit, StandardCharsets.UTF_8).trim();
            if (code.equals("1") || code.equals("2")) {
                return State.FAILED;
            }
        }
        return folder.abandoned() ? State.TO_DO : State.STOPPED;
    }

    /** Epochs a row's run has finished (0 when none). */
    public int finishedEpochs(Row row) throws IOException {
        Path metrics = runDir(row).resolve(RunFolder.METRICS);
        return Files.isRegularFile(metrics) ? new RunFolder(runDir(row)).finishedEpochs().size() : 0;
    }

    static String ratioText(double ratio) {
        return Double.isNaN(ratio) ? "natural" : Double.toString(ratio);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String firstDifference(String a, String b) {
        String[] x = a.split("\n");
        String[] y = b.split("\n");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!x[i].equals(y[i])) {
                return "line " + (i + 1) + " is '" + x[i] + "', this grid's is '" + y[i] + "'";
            }
        }
        return x.length + " lines there, " + y.length + " in this grid";
    }
}
