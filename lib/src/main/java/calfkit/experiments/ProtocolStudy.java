package calfkit.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.loss.LossKind;
import calfkit.metrics.Evaluation;
import calfkit.metrics.ImageScores;
import calfkit.metrics.PairedBootstrap;
import calfkit.metrics.SeedStatistics;
import calfkit.metrics.TrainingsComparison;
import calfkit.train.Checkpoints;
import calfkit.train.Inference;
import calfkit.train.RunEvaluation;
import calfkit.train.RunFolder;
import calfkit.train.TrainConfig;

/**
 * Notebook 08: what each of the CALF authors' protocol choices moves on its own, starting from the kit's Table 5
 * runs (FPN, ratio 0.1) and changing one thing at a time. Every comparison that scores the same test slices is a
 * paired bootstrap over them ({@link PairedBootstrap#pooledDsc}, Holm's correction across a table); the split
 * changes the test slices themselves, so its comparison resamples each side on its own
 * ({@link PairedBootstrap#unpairedPooledDsc}). DSC here is pooled over a run's test slices, as in
 * {@link Experiments#pairedOverSlices}.
 */
public final class ProtocolStudy {

    /** How many shuffles of the test order {@link #reductions} draws for the authors' per-batch DSC. */
    static final int SHUFFLES = 200;

    private ProtocolStudy() {
    }

    /**
     * How one set of predictions becomes one number: for each loss of the grid (mean over its seeds), DSC per
     * image, pooled, and the authors' per-batch mean in batches of {@link Inference#BATCH} slices, once in the
     * kit's test order (consecutive slices of one patient) and over {@value #SHUFFLES} shuffled orders (their test
     * loader shuffles): mean, lowest and highest. No training: read from the runs' {@code test-per-slice.csv}.
     */
    public static Table reductions(Grid grid, Path results, ExperimentPlan plan) throws IOException {
        StringColumn loss = StringColumn.create("loss");
        DoubleColumn perImage = DoubleColumn.create("per image");
        DoubleColumn pooled = DoubleColumn.create("pooled");
        DoubleColumn ordered = DoubleColumn.create("per batch, the kit's order");
        DoubleColumn shuffled = DoubleColumn.create("per batch, shuffled: mean");
        DoubleColumn lowest = DoubleColumn.create("shuffled: lowest");
        DoubleColumn highest = DoubleColumn.create("shuffled: highest");
        for (String m : grid.models()) {
            for (String l : grid.losses()) {
                List<Long> seeds = grid.seeds(plan);
                double[] sums = new double[4];
                double low = 0;
                double high = 0;
                for (long seed : seeds) {
                    Table t = GridResults.perSlice(Experiments.runDir(results, m, l, grid.ratio(), seed));
                    int n = t.rowCount();
                    long[] inter = new long[n];
                    long[] sizes = new long[n];
                    int[] batch = new int[n];
                    for (int i = 0; i < n; i++) {
                        long predicted = (long) t.numberColumn("predicted").getDouble(i);
                        long fp = (long) t.numberColumn("fp").getDouble(i);
                        inter[i] = predicted - fp;
                        sizes[i] = predicted + (long) t.numberColumn("area").getDouble(i);
                        batch[i] = (int) t.numberColumn("batch").getDouble(i);
                        sums[0] += t.numberColumn("dsc").getDouble(i) / n / seeds.size();
                    }
                    sums[1] += dsc(Arrays.stream(inter).sum(), Arrays.stream(sizes).sum())
                            / seeds.size();
                    sums[2] += perBatch(inter, sizes, batch) / seeds.size();
                    double[] draws = shuffledPerBatch(inter, sizes, seed);
                    double mean = Arrays.stream(draws).average().orElse(Double.NaN);
                    sums[3] += mean / seeds.size();
                    low += Arrays.stream(draws).min().orElse(Double.NaN) / seeds.size();
                    high += Arrays.stream(draws).max().orElse(Double.NaN) / seeds.size();
                }
                loss.append(Experiments.label(l));
                perImage.append(sums[0]);
                pooled.append(sums[1]);
                ordered.append(sums[2]);
                shuffled.append(sums[3]);
                lowest.append(low);
                highest.append(high);
            }
        }
        return Table.create("one set of predictions, four reductions: test DSC, mean over " + grid.seeds(plan).size()
                + " seeds; shuffled: over " + SHUFFLES + " test orders in batches of " + Inference.BATCH
                + " (measured by this kit)", loss, perImage, pooled, ordered, shuffled, lowest, highest);
    }

    /**
     * The best epoch (the kit's) against the last (the authors'), for every loss of the grid: pooled test DSC of
     * each, mean over seeds, and last − best with a paired bootstrap over the test slices and seeds (Holm across the
     * losses). Evaluates each run's last checkpoint on its test slices (no training).
     */
    public static Table epochSelection(Grid grid, Path results, SliceIndex index, ExperimentPlan plan) throws IOException {
        StringColumn loss = StringColumn.create("loss");
        StringColumn epochs = StringColumn.create("best epoch of each seed");
        DoubleColumn best = DoubleColumn.create("best epoch (kit)");
        DoubleColumn last = DoubleColumn.create("last epoch (authors)");
        List<TrainingsComparison.Result> tests = new ArrayList<>();
        for (String m : grid.models()) {
            for (String l : grid.losses()) {
                List<PairedBootstrap.Counts> bestCounts = new ArrayList<>();
                List<PairedBootstrap.Counts> lastCounts = new ArrayList<>();
                List<String> chosen = new ArrayList<>();
                for (long seed : grid.seeds(plan)) {
                    RunFolder run = new RunFolder(Experiments.runDir(results, m, l, grid.ratio(), seed));
                    TrainConfig c = run.config();
                    List<Slice> test = c.data(index).split().test();
                    bestCounts.add(counts(RunEvaluation.evaluateBest(run, c, index, test)));
                    lastCounts.add(counts(RunEvaluation.evaluateLast(run, c, index, test)));
                    chosen.add(Checkpoints.epochOf(run.checkpoints().best()) + " of " + run.finishedEpochs().size());
                }
                TrainingsComparison.Result r = TrainingsComparison.pooledDsc(lastCounts, bestCounts, 12345);
                loss.append(Experiments.label(l));
                epochs.append(String.join(", ", chosen));
                best.append(PairedBootstrap.meanPooledDsc(bestCounts));
                last.append(PairedBootstrap.meanPooledDsc(lastCounts));
                tests.add(r);
            }
        }
        return withDifferences(Table.create("the epoch that is tested: pooled test DSC, mean over "
                + grid.seeds(plan).size() + " seeds (measured by this kit)", loss, epochs, best, last), tests,
                "Δ (last − best)", "the last epoch", "the best");
    }

    /**
     * The losses' conventions: each loss of {@code kitGrid} in the kit's conventions against the same loss with
     * "-authors" ({@code authorsGrid}), on the seeds they share, paired over the test slices (Holm across the
     * losses), and each loss's rank (1: highest DSC) under either. A loss with one convention (BCE) stands in both
     * columns with its kit run. The kit's seed-to-seed standard deviation over all its seeds is beside, for scale.
     */
    public static Table conventions(Grid kitGrid, Grid authorsGrid, Path results, ExperimentPlan plan) throws IOException {
        List<Long> seeds = authorsGrid.seeds(plan);
        StringColumn loss = StringColumn.create("loss");
        DoubleColumn kit = DoubleColumn.create("kit's conventions");
        DoubleColumn authors = DoubleColumn.create("authors' conventions");
        DoubleColumn kitSd = DoubleColumn.create("kit: sd over " + kitGrid.seeds(plan).size() + " seeds");
        List<TrainingsComparison.Result> tests = new ArrayList<>();
        String model = kitGrid.models().get(0);
        for (String l : kitGrid.losses()) {
            String variant = LossKind.of(l).hasAuthorsConventions() ? l + LossKind.AUTHORS_SUFFIX : l;
            if (!variant.equals(l) && !authorsGrid.losses().contains(variant)) {
                continue;
            }
            List<PairedBootstrap.Counts> k = GridResults.counts(results, model, l, kitGrid.ratio(), seeds);
            List<PairedBootstrap.Counts> a = GridResults.counts(results, model, variant, kitGrid.ratio(), seeds);
            double[] all = GridResults.counts(results, model, l, kitGrid.ratio(), kitGrid.seeds(plan)).stream()
                    .mapToDouble(PairedBootstrap.Counts::pooledDsc).toArray();
            loss.append(Experiments.label(l));
            kit.append(PairedBootstrap.meanPooledDsc(k));
            authors.append(PairedBootstrap.meanPooledDsc(a));
            kitSd.append(SeedStatistics.meanCi(all).sd());
            tests.add(variant.equals(l) ? null : TrainingsComparison.pooledDsc(a, k, 12345));
        }
        Table t = Table.create("the comparison losses in the authors' conventions, everything else the kit's: pooled "
                + "test DSC of seed" + (seeds.size() == 1 ? " " + seeds.get(0) : "s " + seeds)
                + " (measured by this kit)", loss, kit, authors, kitSd);
        t.addColumns(rank(kit, "rank, kit's"), rank(authors, "rank, authors'"));
        return withDifferences(t, tests, "Δ (authors' − kit's)", "the authors' conventions", "the kit's");
    }

    /**
     * The split: the kit's runs (split by patient) against the same runs split by slice ({@code sliceGrid} in
     * {@code sliceResults}); each run scores its own test slices, so the difference of the seeds' mean pooled DSC
     * is bootstrapped with each run's slices resampled on their own.
     */
    public static Table split(Grid kitGrid, Path results, Grid sliceGrid, Path sliceResults, ExperimentPlan plan)
            throws IOException {
        StringColumn unit = StringColumn.create("split");
        StringColumn loss = StringColumn.create("loss");
        StringColumn perSeed = StringColumn.create("pooled test DSC of each seed");
        DoubleColumn mean = DoubleColumn.create("mean");
        IntColumn slices = IntColumn.create("test slices");
        DoubleColumn diff = DoubleColumn.create("Δ (slices − patients)");
        DoubleColumn low = DoubleColumn.create("95% CI low");
        DoubleColumn high = DoubleColumn.create("95% CI high");
        DoubleColumn p = DoubleColumn.create("p");
        String model = sliceGrid.models().get(0);
        for (String l : sliceGrid.losses()) {
            List<PairedBootstrap.Counts> byPatient = GridResults.counts(results, model, l, kitGrid.ratio(),
                    sliceGrid.seeds(plan));
            List<PairedBootstrap.Counts> bySlice = GridResults.counts(sliceResults, model, l, sliceGrid.ratio(),
                    sliceGrid.seeds(plan));
            PairedBootstrap.Result r = PairedBootstrap.unpairedPooledDsc(bySlice, byPatient, GridResults.RESAMPLES, 12345);
            for (List<PairedBootstrap.Counts> side : List.of(byPatient, bySlice)) {
                boolean slice = side == bySlice;
                unit.append(slice ? "slices (the authors')" : "patients (the kit's)");
                loss.append(Experiments.label(l));
                perSeed.append(String.join(", ", side.stream().map(c -> String.format(Locale.ROOT, "%.4f",
                        c.pooledDsc())).toList()));
                mean.append(PairedBootstrap.meanPooledDsc(side));
                slices.append(side.get(0).slices());
                diff.append(slice ? r.difference() : Double.NaN);
                low.append(slice ? r.low() : Double.NaN);
                high.append(slice ? r.high() : Double.NaN);
                p.append(slice ? r.p() : Double.NaN);
            }
        }
        return Table.create("the split: the same FPN and loss, split by patient or by slice, every seed; the CI "
                + "resamples each run's own test slices (measured by this kit)", unit, loss, perSeed, mean, slices, diff,
                low, high, p);
    }

    /**
     * A wide table's value columns as rows, for grouped bars: {@code loss}, {@code series} (the column's name),
     * {@code value}.
     */
    public static Table longForm(Table wide, String series, String value, String... columns) {
        StringColumn loss = StringColumn.create("loss");
        StringColumn name = StringColumn.create(series);
        DoubleColumn v = DoubleColumn.create(value);
        for (int r = 0; r < wide.rowCount(); r++) {
            for (String c : columns) {
                loss.append(wide.stringColumn("loss").get(r));
                name.append(c);
                v.append(wide.numberColumn(c).getDouble(r));
            }
        }
        return Table.create(wide.name(), loss, name, v);
    }

    /**
     * Appends Δ with its interval across trainings ({@link TrainingsComparison}: none with fewer than 3 seeds), Holm's
     * p over the table and the verdict in words; a null result (one convention: the same run) leaves them blank.
     */
    private static Table withDifferences(Table t, List<TrainingsComparison.Result> tests, String name, String a,
                                         String b) {
        DoubleColumn diff = DoubleColumn.create(name);
        DoubleColumn low = DoubleColumn.create("95% low");
        DoubleColumn high = DoubleColumn.create("95% high");
        double[] p = new double[tests.size()];
        for (int i = 0; i < tests.size(); i++) {
            TrainingsComparison.Result r = tests.get(i);
            boolean shown = r != null && r.decidable();
            diff.append(r == null ? Double.NaN : r.difference());
            low.append(shown ? r.low() : Double.NaN);
            high.append(shown ? r.high() : Double.NaN);
            p[i] = shown ? r.p() : Double.NaN;
        }
        double[] adjusted = PairedBootstrap.holm(p);
        StringColumn verdict = StringColumn.create("verdict");
        for (int i = 0; i < adjusted.length; i++) {
            verdict.append(tests.get(i) == null ? "one convention: the same run"
                    : TrainingsComparison.words(tests.get(i), adjusted[i], a, b));
        }
        t.addColumns(diff, low, high, DoubleColumn.create("Holm p", adjusted), verdict);
        return t;
    }

    private static IntColumn rank(DoubleColumn values, String name) {
        IntColumn r = IntColumn.create(name);
        for (int i = 0; i < values.size(); i++) {
            int higher = 0;
            for (int j = 0; j < values.size(); j++) {
                higher += values.getDouble(j) > values.getDouble(i) ? 1 : 0;
            }
            r.append(higher + 1);
        }
        return r;
    }

    private static PairedBootstrap.Counts counts(Evaluation e) {
        List<ImageScores> s = e.images();
        return new PairedBootstrap.Counts(s.stream().mapToLong(ImageScores::tp).toArray(),
                s.stream().mapToLong(ImageScores::fp).toArray(), s.stream().mapToLong(ImageScores::fn).toArray());
    }

    /** DSC from summed intersections and summed sizes (predicted + true), 1 when both are 0 (solver.py). */
    static double dsc(long intersection, long sizes) {
        return sizes == 0 ? 1 : 2.0 * intersection / sizes;
    }

    /** The authors' per-batch mean DSC, batches given by {@code batch} (the order the kit evaluated in). */
    static double perBatch(long[] inter, long[] sizes, int[] batch) {
        double total = 0;
        int batches = 0;
        int i = 0;
        while (i < inter.length) {
            long a = 0;
            long b = 0;
            int j = i;
            while (j < inter.length && batch[j] == batch[i]) {
                a += inter[j];
                b += sizes[j];
                j++;
            }
            total += dsc(a, b);
            batches++;
            i = j;
        }
        return total / batches;
    }

    /** The authors' per-batch mean DSC over {@value #SHUFFLES} seeded shuffles of the slices. */
    static double[] shuffledPerBatch(long[] inter, long[] sizes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = inter.length;
        int[] order = new int[n];
        int[] batch = new int[n];
        long[] a = new long[n];
        long[] b = new long[n];
        double[] out = new double[SHUFFLES];
        for (int s = 0; s < SHUFFLES; s++) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i = 0; i < n; i++) {
                a[i] = inter[order[i]];
                b[i] = sizes[order[i]];
                batch[i] = i / Inference.BATCH;
            }
            out[s] = perBatch(a, b, batch);
        }
        return out;
    }
}
