package calfkit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import tech.tablesaw.api.Table;

import calfkit.config.Protocol;
import calfkit.config.Scale;
import calfkit.config.Settings;
import calfkit.data.RunData;
import calfkit.data.SliceIndex;
import calfkit.data.source.Datasets;
import calfkit.experiments.Experiments;
import calfkit.experiments.GridPlan;
import calfkit.experiments.SlurmArray;
import calfkit.io.AtomicFiles;
import calfkit.train.ProgressDisplay;
import calfkit.train.Recipe;

/**
 * {@code calf grid plan|run|slurm|status|collect}: an experiment grid as data ({@link GridPlan}), run here one row
 * after another or on a Slurm cluster as a job array ({@link SlurmArray}), its progress read from the run folders,
 * its results table collected from them.
 */
final class GridCommand implements Command {

    @Override
    public String name() {
        return "grid";
    }

    @Override
    public String summary() {
        return "plan a grid of runs, run it here or as a Slurm job array, show its status, collect its results";
    }

    @Override
    public String usage() {
        return """
                usage: calf grid plan --models M,… --losses L,… --seeds S,… --out GRIDDIR
                                      [--ratios R,…] [--scale smoke|quick|full] [--protocol kit|authors]
                                      [--split patients|slices|slices-per-patient] [--recipe kit|authors|kit-no-prior]
                                      [--epochs N]
                                      [--data DIR]
                       calf grid run GRID
                       calf grid slurm GRID [--partition P] [--gpus-per-task N] [--cpus-per-task C] [--time T]
                                            [--mem M] [--array-limit K] [--submit]
                       calf grid status GRID
                       calf grid collect GRID [--partial]
                  plan     writes GRIDDIR/grid.csv (one row per run: models × losses × ratios × seeds) and nothing
                           else; --ratios takes fractions or 'natural' (default natural); --scale defaults to
                           CALF_SCALE, --protocol to CALF_PROTOCOL, else kit (calf train --help), --split,
                           --recipe and --epochs to the scale's under the protocol; --data to CALF_DATA, else the embedded
                           phantom of the scale (generated into the kit's cache if it is not there yet)
                  run      trains every unfinished row here, as many at once as CALF_RUNS_AT_ONCE says (on the
                           CPU: one per core, at most 4, each on one thread; on a GPU one at a time); finished
                           runs are read back, stopped ones resumed; after a failing row no further row starts
                  slurm    writes GRID's slurm.sh: one array task per row not yet done, each running calf train
                           --resume for its row; --submit also submits it with sbatch (default: 1 CPU per task)
                  status   done / running / failed / stopped / damaged / to do for every row, from the run folders, their
                           locks and the tasks' exit statuses (logs/<run>.exit)
                  collect  writes the results table of the finished runs (GRIDDIR/results.csv; for a notebook's
                           NAME.grid.csv, NAME.csv) that notebooks 04 and 05 render; refused while rows are
                           unfinished, unless --partial
                  GRID is a grid folder (its grid.csv) or a grid file (a notebook's RESULTS/NAME.grid.csv)""";
    }

    @Override
    public int run(List<String> argv, PrintStream out) throws Exception {
        if (argv.isEmpty()) {
            throw new UsageException("expected plan, run, slurm, status or collect");
        }
        List<String> rest = argv.subList(1, argv.size());
        return switch (argv.get(0)) {
            case "plan" -> plan(rest, out);
            case "run" -> runHere(rest, out);
            case "slurm" -> slurm(rest, out);
            case "status" -> status(rest, out);
            case "collect" -> collect(rest, out);
            default -> throw new UsageException("unknown grid command '" + argv.get(0)
                    + "'; expected plan, run, slurm, status or collect");
        };
    }

    private static int plan(List<String> argv, PrintStream out) throws IOException {
        Args a = new Args(argv, Set.of("--models", "--losses", "--ratios", "--seeds", "--scale", "--recipe", "--epochs",
                "--data", "--out", "--protocol", "--split"), Set.of());
        noPositional(a, "plan");
        Scale scale;
        Protocol protocol;
        Recipe recipe;
        RunData.SplitUnit split;
        List<Double> ratios = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        try {
            scale = a.get("--scale", null) == null ? Scale.fromEnvironment() : Scale.parse(a.get("--scale", null));
            protocol = a.get("--protocol", null) == null ? Protocol.fromEnvironment()
                    : Protocol.parse(a.get("--protocol", null), "--protocol");
            recipe = a.get("--recipe", null) == null ? null : Recipe.parse(a.get("--recipe", null));
            split = a.get("--split", null) == null ? null : RunData.SplitUnit.parse(a.get("--split", null), "--split");
            for (String r : list(a.get("--ratios", "natural"))) {
                double v = r.equals("natural") ? Double.NaN : Double.parseDouble(r);
                if (!Double.isNaN(v) && !(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("--ratios expects fractions in [0, 1] or 'natural', got '" + r + "'");
                }
                ratios.add(v);
            }
            for (String s : list(a.require("--seeds"))) {
                seeds.add(Long.parseLong(s));
            }
        } catch (NumberFormatException e) {
            throw new UsageException("--ratios and --seeds expect comma-separated numbers (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int epochs = a.getInt("--epochs", 0);
        if (epochs < 0) {
            throw new UsageException("--epochs expects a number ≥ 1 (leave it out for the scale's), got " + epochs);
        }
        Path data = a.get("--data", null) != null ? SliceIndex.read(Path.of(a.get("--data", null))).root()
                : Datasets.open(settings(scale)).root();
        GridPlan grid;
        try {
            grid = GridPlan.of(Path.of(a.require("--out")).resolve(GridPlan.FILE), list(a.require("--models")),
                    list(a.require("--losses")), ratios, seeds, scale, protocol, split, recipe, epochs, data);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        grid.write();
        out.printf("grid: %d runs written to %s (scale %s, protocol %s, data %s)%n", grid.rows().size(), grid.file(),
                scale, protocol, data);
        return 0;
    }

    private static int runHere(List<String> argv, PrintStream out) throws IOException {
        GridPlan grid = read(argv, Set.of(), Set.of(), "run");
        Set<Path> datasets = new LinkedHashSet<>();
        grid.rows().forEach(r -> datasets.add(r.data()));
        if (datasets.size() != 1) {
            throw new IOException(grid.file() + ": its rows name " + datasets.size() + " datasets; calf grid run runs a grid "
                    + "on one dataset");
        }
        SliceIndex index = SliceIndex.read(datasets.iterator().next());
        Table t;
        try {
            t = Experiments.run(grid, "grid " + grid.base().getFileName(), index, ProgressDisplay.streamed(out));
        } catch (IOException | RuntimeException e) {
            for (GridPlan.Row r : grid.rows()) { // rows run in order and stop at the first failure: the first not done
                if (grid.state(r) != GridPlan.State.DONE) {
                    Files.createDirectories(grid.exitFile(r).getParent());
                    AtomicFiles.writeString(grid.exitFile(r), "1\n");
                    out.printf("grid: row %d (%s) failed; the rows before it are kept, calf grid run resumes%n", r.row(),
                            r.run());
                    break;
                }
            }
            throw e;
        }
        out.printf("grid: %d runs, results in %s%n%s%n", t.rowCount(), grid.resultsFile(), Experiments.convergence(t));
        return 0;
    }

    private static int slurm(List<String> argv, PrintStream out) throws IOException, InterruptedException {
        Args a = new Args(argv, Set.of("--partition", "--gpus-per-task", "--cpus-per-task", "--time", "--mem",
                "--array-limit", "--calf"), Set.of("--submit"));
        GridPlan grid = read(a, "slurm");
        SlurmArray array;
        try {
            array = new SlurmArray(a.get("--partition", null), a.getInt("--gpus-per-task", 0), a.getInt("--cpus-per-task", 1),
                    a.get("--time", null), a.get("--mem", null), a.getInt("--array-limit", 0));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        List<GridPlan.Row> todo = new ArrayList<>();
        for (GridPlan.Row r : grid.rows()) {
            GridPlan.State s = grid.state(r);
            if (s != GridPlan.State.DONE && s != GridPlan.State.RUNNING) {
                todo.add(r);
            }
        }
        if (todo.isEmpty()) {
            out.printf("grid: every row of %s is done or running; nothing to submit%n", grid.file());
            return 0;
        }
        Path calf = a.get("--calf", null) != null ? Path.of(a.get("--calf", null)).toAbsolutePath() : launcher();
        Path script = grid.base().resolve(SlurmArray.SLURM_SCRIPT);
        Files.createDirectories(grid.base().resolve(GridPlan.LOGS)); // Slurm opens its output files there
        AtomicFiles.writeString(script, array.script(grid, todo, calf));
        out.printf("grid: %s written: %d array task(s) of %d rows%n", script, todo.size(), grid.rows().size());
        if (!a.flag("--submit")) {
            out.printf("grid: submit it with: sbatch %s%n", script);
            return 0;
        }
        Process p;
        try {
            p = new ProcessBuilder("sbatch", "--parsable", script.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("sbatch could not be started (" + AtomicFiles.reason(e) + "); is this a Slurm login "
                    + "node? The script is written: " + script, e);
        }
        String reply = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("sbatch " + script + " failed: " + reply);
        }
        out.printf("grid: submitted job %s%n", reply.split(";")[0]);
        return 0;
    }

    private static int status(List<String> argv, PrintStream out) throws IOException {
        GridPlan grid = read(argv, Set.of(), Set.of(), "status");
        Map<GridPlan.State, Integer> counts = new EnumMap<>(GridPlan.State.class);
        out.printf("%4s  %-40s  %-8s  %s%n", "row", "run", "state", "epochs");
        for (GridPlan.Row r : grid.rows()) {
            GridPlan.Status status = grid.status(r);
            GridPlan.State s = status.state();
            counts.merge(s, 1, Integer::sum);
            String note = switch (s) {
                case FAILED -> "  (see " + grid.log(r) + ")";
                case DAMAGED -> "  (" + status.damage() + ")";
                default -> "";
            };
            out.printf(Locale.ROOT, "%4d  %-40s  %-8s  %s/%d%s%n", r.row(), r.run(), s.label(),
                    s == GridPlan.State.DAMAGED ? "?" : Integer.toString(grid.finishedEpochs(r)), r.epochs(), note);
        }
        List<String> parts = new ArrayList<>();
        for (GridPlan.State s : GridPlan.State.values()) {
            parts.add(counts.getOrDefault(s, 0) + " " + s.label());
        }
        out.printf("grid: %d rows: %s%n", grid.rows().size(), String.join(", ", parts));
        return 0;
    }

    private static int collect(List<String> argv, PrintStream out) throws IOException {
        Args a = new Args(argv, Set.of(), Set.of("--partial"));
        GridPlan grid = read(a, "collect");
        Table t = Experiments.collect(grid, "grid " + grid.base().getFileName());
        int missing = grid.rows().size() - t.rowCount();
        if (missing > 0 && !a.flag("--partial")) {
            out.printf("grid: %d of %d rows are not done (calf grid status %s); nothing written (--partial writes the "
                    + "finished ones)%n", missing, grid.rows().size(), grid.file());
            return 1;
        }
        AtomicFiles.writeCsv(grid.resultsFile(), t);
        out.printf("grid: %d of %d runs collected into %s%n%s%n", t.rowCount(), grid.rows().size(), grid.resultsFile(),
                Experiments.convergence(t));
        return 0;
    }

    private static GridPlan read(List<String> argv, Set<String> valued, Set<String> flags, String what) throws IOException {
        return read(new Args(argv, valued, flags), what);
    }

    private static GridPlan read(Args a, String what) throws IOException {
        if (a.positional().size() != 1) {
            throw new UsageException("calf grid " + what + " takes one grid folder or grid file, got " + a.positional());
        }
        return GridPlan.read(Path.of(a.positional().get(0)));
    }

    private static void noPositional(Args a, String what) {
        if (!a.positional().isEmpty()) {
            throw new UsageException("unexpected argument(s) " + a.positional() + ": calf grid " + what + " takes options only");
        }
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The settings of a scale: CALF_DATA when set, else the scale's embedded phantom. */
    private static Settings settings(Scale scale) {
        Settings env = Settings.fromEnvironment();
        return env.dataFromEnvironment() ? new Settings(scale, env.dataDir(), true)
                : new Settings(scale, Settings.phantomDir(scale, ""), false);
    }

    /** The {@code calf} launcher this process was started by ({@code CALF_HOME}, set by data-scripts/calf). */
    private static Path launcher() {
        String home = System.getenv("CALF_HOME");
        if (home == null || home.isBlank()) {
            throw new UsageException("CALF_HOME is not set (data-scripts/calf sets it); name the launcher with --calf PATH");
        }
        return Path.of(home, "data-scripts", "calf").toAbsolutePath().normalize();
    }
}
