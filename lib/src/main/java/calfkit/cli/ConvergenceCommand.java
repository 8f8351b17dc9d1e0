package calfkit.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import calfkit.experiments.Experiments;
import calfkit.train.Convergence;
import calfkit.train.EpochRow;
import calfkit.train.RunFolder;
import calfkit.train.TrainConfig;

/**
 * {@code calf convergence RESULTS}: the verdict on every run under a results folder ({@code RESULTS/runs/*} and
 * {@code RESULTS/<study>/runs/*}, as
 * the notebooks write them): how many reached their plateau, and which did not. Exit code 1 when any did not.
 */
final class ConvergenceCommand implements Command {

    @Override
    public String name() {
        return "convergence";
    }

    @Override
    public String summary() {
        return "which runs of a results folder reached their plateau (exit code 1 when any did not)";
    }

    @Override
    public String usage() {
        return """
                usage: calf convergence RESULTS
                  RESULTS  a results folder of the notebooks (CALF_RESULTS), holding runs/<run>/metrics.csv
                  A run has reached its plateau when its best validation DSC gains at most 0.01 over the last
                  quarter of its epochs; runs extended beyond their planned epochs (still rising there) are listed.""";
    }

    @Override
    public int run(List<String> argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of(), Set.of());
        List<String> positional = a.positional();
        if (positional.size() != 1) {
            throw new UsageException("expected one results folder, got " + positional.size() + " arguments");
        }
        Path root = Path.of(positional.get(0));
        Path runs = root.resolve(Experiments.RUNS);
        if (!Files.isDirectory(runs)) {
            throw new UsageException(runs + ": no such folder; expected a results folder with runs/ in it");
        }
        List<String> notAtPlateau = new ArrayList<>();
        List<String> collapsed = new ArrayList<>();
        List<String> extended = new ArrayList<>();
        int total = 0;
        // RESULTS/runs/*, the runs of studies on other data, RESULTS/<study>/runs/* (05's polygon phantom), and of
        // studies with a folder per dataset, RESULTS/<study>/<dataset>/runs/* (09's branch study, one per region).
        List<Path> dirs;
        try (Stream<Path> s = Files.walk(root, 4)) {
            dirs = s.filter(d -> d.getParent() != null && d.getParent().getFileName() != null
                    && d.getParent().getFileName().toString().equals(Experiments.RUNS)
                    && Files.isRegularFile(d.resolve(RunFolder.CONFIG))).sorted().toList();
        }
        for (Path dir : dirs) {
            RunFolder run = new RunFolder(dir);
            total++;
            List<EpochRow> epochs = run.finishedEpochs();
            TrainConfig config = run.config();
            Convergence c = Convergence.of(epochs, config.effectiveRecipe());
            if (epochs.size() > config.epochs()) {
                extended.add(root.relativize(dir) + ": " + config.epochs() + " → " + epochs.size() + " epochs, "
                        + c.verdict());
            }
            if (!c.plateaued() || !run.finished()) {
                notAtPlateau.add(root.relativize(dir) + ": " + (run.finished() ? c.verdict() : "unfinished, " + c.verdict()));
            } else if (c.collapsed()) {
                collapsed.add(root.relativize(dir) + ": " + c.verdict());
            }
        }
        if (!collapsed.isEmpty()) {
            out.printf("convergence: %d run(s) collapsed to an empty prediction (stable, so counted as at their plateau; "
                    + "a failure of the loss on that run, shown as such in the tables):%n", collapsed.size());
            collapsed.forEach(l -> out.println("  " + l));
        }
        if (!extended.isEmpty()) {
            out.printf("convergence: %d run(s) still rising at their last planned epoch trained another cycle "
                    + "(PlateauExtension):%n", extended.size());
            extended.forEach(l -> out.println("  " + l));
        }
        if (notAtPlateau.isEmpty()) {
            out.printf("convergence: all %d runs reached their plateau (%s)%n", total, root);
            return 0;
        }
        out.printf("convergence: NOT CONVERGED: %d of %d runs did not reach their plateau (%s)%n", notAtPlateau.size(), total,
                root);
        notAtPlateau.forEach(l -> out.println("  " + l));
        return 1;
    }
}
