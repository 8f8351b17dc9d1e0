package calfkit.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import calfkit.config.Settings;
import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.data.source.Datasets;
import calfkit.metrics.PairedBootstrap;
import calfkit.metrics.SeedStatistics;
import calfkit.metrics.TrainingsComparison;
import calfkit.stats.Branch;
import calfkit.stats.BranchDecision;
import calfkit.stats.EmptyMasks;
import calfkit.stats.Rule;
import calfkit.train.Convergence;
import calfkit.train.ProgressDisplay;

/**
 * CALF's hypothesis put to the test (notebook 09): that the rule of the paper's Table 2 picks, from the skewness and
 * kurtosis of a dataset's tumour areas, the transformation that trains best on it.
 *
 * <ul>
 *   <li><b>The identity control</b> ({@link Grid#IDENTITY}): Table 2's Log10 loss is BCE / ln 10 and its Natural log
 *       loss is BCE, both on probabilities clamped to [1e-7, 1 − 1e-7]. Adam's update does not change when a loss is
 *       multiplied by a constant c, but for its ε, which becomes ε / c. The control trains BCE (neither difference),
 *       BCE / ln 10 from logits (Adam's ε × ln 10 alone), Natural log (the clamp alone) and Log10 (both) on the same
 *       seeds, on the study's S ≥ 1 phantom, and compares each with BCE across trainings.</li>
 *   <li><b>The branch study</b> ({@link Grid#BRANCH_STUDY}): one phantom for each row of Table 2 ({@link
 *       Datasets#study}: the series' 40.9 % of tumour slices, tumour areas placed in the row's region when empty masks
 *       are left out), on which every distinct transformation (Fisher, Logit, Arcsine, Log10 ≡ BCE up to its scale,
 *       BCE-Dice) and Dice train with the same seeds; then, per region, the rule's pick against every other loss
 *       across trainings ({@link TrainingsComparison}, Holm over the region's comparisons).</li>
 * </ul>
 * Whether empty masks count for the rule decides what it picks: left out, each phantom lands in its row; counted (the
 * kit's default, and what the authors' per-batch code does), the spike at area 0 makes every one of them right-skewed
 * and the rule picks Log10. The study shows the verdict for both.
 *
 * <p>Each region's runs live in {@code RESULTS/branch-study/<region>/}, the control's beside the S ≥ 1 region's (it
 * shares their Log10 runs); both are ordinary grids (a {@code .grid.csv} beside the runs). The study trains the
 * series' quick U-Net (width 16) on 32×32 slices for 6 epochs: the same U-Net at width 8 was cheaper per epoch but
 * 15 of its 72 runs were still rising after 10 epochs; at 4 epochs (the schedule's decay over 128 steps) 8 of 81
 * were still rising after four extension cycles, 12 epochs; on 24×24 slices the study cost a quarter less, but the
 * phantom made for the BCE-Dice row landed at S = 0.55, in Natural log's (measured; docs/findings.md).
 */
public final class BranchStudy {

    /** Where the study's results live under a results folder. */
    public static final String FOLDER = "branch-study";

    /** The loss that stands for each branch in the study: Natural log is Log10 up to its scale (the control). */
    private static final Map<Branch, String> LOSS_OF_BRANCH = Map.of(Branch.FISHER, "fisher", Branch.LOGIT, "logit",
            Branch.ARCSINE, "arcsine", Branch.LOG10, "log10", Branch.NATURAL_LOG, "log10", Branch.BCE_DICE, "bce-dice");

    /** The environment variable that asks for every row of Table 2 at any scale: {@code CALF_STUDY_REGIONS=all}. */
    public static final String REGIONS_ENV = "CALF_STUDY_REGIONS";

    /**
     * The rows of Table 2 whose phantoms the quick study trains on: the four whose picks differ in kind (Fisher,
     * unbounded, for left-skewed areas; Arcsine, bounded, for mild left skew; BCE-Dice for a peaked near-symmetric
     * distribution; Log10, BCE / ln 10, for right-skewed areas, the series' own). Logit (unbounded, as Fisher), Natural log
     * and the flat Log10 row (BCE up to a constant, as the S ≥ 1 row) train at full scale or with
     * {@code CALF_STUDY_REGIONS=all}: 18 more runs a row, about 100 s each on 2 cores.
     */
    public static final List<Rule> QUICK_REGIONS = List.of(Rule.FISHER_S_LE_MINUS_1, Rule.ARCSINE_S_IN_MINUS_HALF_0,
            Rule.BCE_DICE_S_IN_0_HALF_K_NONNEG, Rule.LOG10_S_GE_1);

    private BranchStudy() {
    }

    /**
     * The rows of Table 2 the study trains on under a plan: every row at full scale or with
     * {@code CALF_STUDY_REGIONS=all}, else {@link #QUICK_REGIONS} (at smoke scale its first two).
     */
    public static List<Rule> regions(ExperimentPlan plan) {
        if (plan.scale() == calfkit.config.Scale.FULL || "all".equalsIgnoreCase(System.getenv(REGIONS_ENV))) {
            return Rule.TABLE_2;
        }
        return plan.scale() == calfkit.config.Scale.SMOKE ? QUICK_REGIONS.subList(0, 2) : QUICK_REGIONS;
    }

    /** A region's short name, its folder ("fisher-s-le-minus-1"). */
    public static String slug(Rule rule) {
        return rule.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The results folder of a region's runs. */
    public static Path regionResults(Path results, Rule rule) {
        return results.resolve(FOLDER).resolve(slug(rule));
    }

    /** The region of Table 2 whose phantom the identity control trains on (its Log10 runs are the study's). */
    public static final Rule IDENTITY_REGION = Rule.LOG10_S_GE_1;

    /** The results folder of the identity control: the S ≥ 1 region's, whose Log10 runs it shares. */
    public static Path identityResults(Path results) {
        return regionResults(results, IDENTITY_REGION);
    }

    /**
     * Table 2's logarithmic transformations against BCE on one batch of random logits (N(0, 3²), 20 % tumour
     * pixels): their values and gradient norms, with Log10 × ln 10 beside, so that the identity Log10 = BCE / ln 10
     * (where no probability reaches the clamp) is seen in numbers.
     */
    public static Table identityValues(long seed) {
        StringColumn loss = StringColumn.create("loss");
        DoubleColumn value = DoubleColumn.create("value");
        DoubleColumn grad = DoubleColumn.create("gradient norm");
        DoubleColumn ratio = DoubleColumn.create("BCE / value");
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed((int) seed);
            ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(4, 1, 16, 16);
            ai.djl.ndarray.NDArray x = m.randomNormal(0, 3, shape, ai.djl.ndarray.types.DataType.FLOAT32);
            ai.djl.ndarray.NDArray y = m.randomUniform(0, 1, shape).lt(0.2f)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            double bce = Double.NaN;
            for (String name : List.of("bce", "ln", "log10", "bce-log10")) {
                x.setRequiresGradient(true);
                double v;
                double g;
                try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    ai.djl.ndarray.NDArray l = calfkit.loss.Losses.create(name).fromLogits(x, y);
                    v = l.getFloat();
                    gc.backward(l);
                    g = x.getGradient().norm().getFloat();
                }
                bce = name.equals("bce") ? v : bce;
                loss.append(Experiments.label(name));
                value.append(v);
                grad.append(g);
                ratio.append(bce / v);
            }
        }
        return Table.create("one batch of random logits, 1,024 pixels: Table 2's logarithms against BCE (measured; ln 10 = "
                + String.format(Locale.ROOT, "%.4f)", Math.log(10)), loss, value, grad, ratio);
    }

    /** Runs (or reads back) the identity control on the study's S ≥ 1 phantom (the series' own kind of skew). */
    public static Table runIdentity(Settings settings, Path results, ExperimentPlan plan, ProgressDisplay progress)
            throws IOException {
        return Experiments.run(Grid.IDENTITY, identityResults(results), Datasets.study(settings, IDENTITY_REGION), plan,
                progress);
    }

    /**
     * The identity control's comparisons across trainings: Log10, BCE / ln 10 and Natural log each against BCE, and
     * Log10 against Natural log (Adam's ε with the clamp on both sides); Holm over the four.
     */
    public static Table identity(Path results, ExperimentPlan plan) throws IOException {
        Path dir = identityResults(results);
        List<Long> seeds = Grid.IDENTITY.seeds(plan);
        String[][] pairs = {{"log10", "bce"}, {"bce-log10", "bce"}, {"ln", "bce"}, {"log10", "ln"}};
        String[] what = {"both (CALF's Log10 branch)", "Adam's ε × ln 10 alone", "the clamp alone",
            "Adam's ε × ln 10, both clamped"};
        List<String> names = new ArrayList<>();
        List<String> others = new ArrayList<>();
        List<TrainingsComparison.Result> family = new ArrayList<>();
        Map<String, List<PairedBootstrap.Counts>> counts = countsOf(dir, Grid.IDENTITY, seeds);
        for (int i = 0; i < pairs.length; i++) {
            family.add(TrainingsComparison.pooledDsc(counts.get(pairs[i][0]), counts.get(pairs[i][1]), 12345));
            names.add(Experiments.label(pairs[i][0]) + ": " + what[i]);
            others.add(Experiments.label(pairs[i][1]));
        }
        Table t = GridResults.comparisonTable("the identity control: pooled test DSC across " + seeds.size()
                + " trainings a side, same seeds (measured by this kit)", "it", names, others, family);
        t.column("model").setName("loss: what differs from BCE");
        return t;
    }

    /**
     * Runs (or reads back) the branch study, region by region; one row per run with its region (the rule the data
     * was made for) in front.
     */
    public static Table run(Settings settings, Path results, ExperimentPlan plan, ProgressDisplay progress)
            throws IOException {
        Table all = null;
        for (Rule rule : regions(plan)) {
            Table t = Experiments.run(Grid.BRANCH_STUDY, regionResults(results, rule), Datasets.study(settings, rule), plan,
                    progress);
            t.insertColumn(0, StringColumn.create("region", java.util.Collections.nCopies(t.rowCount(), rule.condition())));
            all = all == null ? t : all.append(t);
        }
        all.setName("the branch study: every run (measured by this kit)");
        return all;
    }

    /** What the rule picks on a region's training areas, with empty masks left out and counted. */
    public record Picks(Rule region, BranchDecision excluded, BranchDecision included) {
    }

    /** The rule's picks on each region's training sample (the areas CALF's dataset scope measures). */
    public static List<Picks> picks(Settings settings, ExperimentPlan plan) throws IOException {
        List<Picks> out = new ArrayList<>();
        String model = Grid.BRANCH_STUDY.models().get(0);
        for (Rule rule : regions(plan)) {
            SliceIndex index = Datasets.study(settings, rule);
            long[] areas = plan.config(model, "bce", Grid.BRANCH_STUDY.ratio(), plan.firstSeeds(1).get(0)).data(index)
                    .sample().slices().stream().mapToLong(Slice::area).toArray();
            out.add(new Picks(rule, BranchDecision.of(areas, EmptyMasks.EXCLUDE), BranchDecision.of(areas,
                    EmptyMasks.INCLUDE)));
        }
        return out;
    }

    /** Each region's data: S and K of its training areas with empty masks left out and counted, and the picks. */
    public static Table regions(List<Picks> picks) {
        StringColumn region = StringColumn.create("made for");
        DoubleColumn sEx = DoubleColumn.create("S, tumours");
        DoubleColumn kEx = DoubleColumn.create("K, tumours");
        StringColumn pickEx = StringColumn.create("pick, tumours");
        DoubleColumn sIn = DoubleColumn.create("S, all masks");
        DoubleColumn kIn = DoubleColumn.create("K, all masks");
        StringColumn pickIn = StringColumn.create("pick, all masks");
        for (Picks p : picks) {
            region.append(p.region().condition());
            sEx.append(p.excluded().skewness());
            kEx.append(p.excluded().kurtosis());
            pickEx.append(p.excluded().branch().label());
            sIn.append(p.included().skewness());
            kIn.append(p.included().kurtosis());
            pickIn.append(p.included().branch().label());
        }
        return Table.create("the study's phantoms: training areas and Table 2's pick, tumour masks only and all masks "
                + "(measured)", region, sEx, kEx, pickEx, sIn, kIn, pickIn);
    }

    /**
     * The region × loss matrix: each cell the mean pooled test DSC over the seeds with its 95 % interval over
     * trainings ({@link SeedStatistics#boundedCi}), "▲" where the rule picks that loss with empty masks left out,
     * "●" where it picks it with them counted, and the count of collapsed runs and of runs still rising after their
     * last extension cycle, if any (their DSC is a lower bound of what more epochs would give).
     */
    public static Table matrix(Table runs, List<Picks> picks) {
        StringColumn region = StringColumn.create("region");
        Map<String, StringColumn> cells = new LinkedHashMap<>();
        for (String loss : Grid.BRANCH_STUDY.losses()) {
            cells.put(loss, StringColumn.create(Experiments.label(loss)));
        }
        for (Picks p : picks) {
            region.append(p.region().condition());
            for (String loss : Grid.BRANCH_STUDY.losses()) {
                Table sub = of(runs, p.region(), loss);
                double[] v = sub.doubleColumn("dsc_pooled").asDoubleArray();
                SeedStatistics.MeanCi m = SeedStatistics.meanCi(v);
                double[] ci = SeedStatistics.boundedCi(v, SeedStatistics.Bounds.UNIT);
                String interval = v.length < 2 ? "" : String.format(Locale.ROOT, " (%.3f–%.3f)", ci[0], ci[1]);
                long collapsed = count(sub, Convergence.State.COLLAPSED);
                long rising = count(sub, Convergence.State.STILL_RISING);
                String marks = (pickOf(p.excluded()).equals(loss) ? " ▲" : "") + (pickOf(p.included()).equals(loss)
                        ? " ●" : "");
                cells.get(loss).append(String.format(Locale.ROOT, "%.3f%s%s%s%s", m.mean(), interval, marks,
                        collapsed == 0 ? "" : ", " + collapsed + " collapsed", rising == 0 ? "" : ", " + rising
                        + " still rising"));
            }
        }
        Table t = Table.create("pooled test DSC, mean over " + (runs.rowCount() / Math.max(1, picks.size()
                * Grid.BRANCH_STUDY.losses().size())) + " trainings (95 % interval over trainings); ▲ the rule's pick "
                + "on tumour masks, ● on all masks (measured by this kit)", region);
        cells.values().forEach(t::addColumns);
        return t;
    }

    /** The study loss that stands for a decision's branch. */
    public static String pickOf(BranchDecision d) {
        return LOSS_OF_BRANCH.get(d.branch());
    }

    /** How many runs of a results table are in {@code state} ({@link Convergence.State#ofColumn}). */
    private static long count(Table runs, Convergence.State state) {
        return runs.stringColumn("convergence").asList().stream().filter(c -> Convergence.State.ofColumn(c) == state).count();
    }

    private static Table of(Table runs, Rule region, String loss) {
        return runs.where(runs.stringColumn("region").isEqualTo(region.condition())
                .and(runs.stringColumn("loss").isEqualTo(Experiments.label(loss))));
    }

    /**
     * One region's verdict on one of the rule's picks.
     *
     * @param word      "best", "worse", "not resolved", or "undecided" with fewer than 3 seeds
     * @param evidence  the comparison with the strongest other loss
     * @param collapsed how many of the pick's trainings collapsed to a degenerate prediction
     */
    public record Verdict(Rule region, EmptyMasks masks, String pick, String word, String evidence, int seeds,
                          int collapsed) {
    }

    /**
     * Per region and for each way of counting masks, the rule's pick against every other loss of the study across
     * trainings (Holm over the region's five comparisons): "best" when it beats every other, "worse" when another
     * beats it, "not resolved" otherwise (the trainings cannot tell it from the strongest other loss), with that
     * comparison as evidence and the pick's collapsed trainings counted; "undecided" with fewer than 3 seeds.
     */
    public static List<Verdict> verdicts(Path results, ExperimentPlan plan, List<Picks> picks) throws IOException {
        List<Verdict> out = new ArrayList<>();
        List<Long> seeds = Grid.BRANCH_STUDY.seeds(plan);
        String model = Grid.BRANCH_STUDY.models().get(0);
        for (Picks p : picks) {
            Path dir = regionResults(results, p.region());
            Map<String, List<PairedBootstrap.Counts>> counts = countsOf(dir, Grid.BRANCH_STUDY, seeds);
            for (EmptyMasks masks : EmptyMasks.values()) {
                String pick = pickOf(masks == EmptyMasks.EXCLUDE ? p.excluded() : p.included());
                List<PairedBootstrap.Counts> mine = counts.get(pick);
                List<String> others = new ArrayList<>();
                List<TrainingsComparison.Result> family = new ArrayList<>();
                for (String loss : Grid.BRANCH_STUDY.losses()) {
                    if (!loss.equals(pick)) {
                        others.add(loss);
                        family.add(TrainingsComparison.pooledDsc(mine, counts.get(loss), 12345));
                    }
                }
                int collapsed = 0;
                for (long seed : seeds) {
                    calfkit.train.RunFolder run = new calfkit.train.RunFolder(Experiments.runDir(dir, model, pick, Double.NaN,
                            seed));
                    collapsed += calfkit.train.Convergence.of(run.finishedEpochs(), run.config().effectiveRecipe())
                            .collapsed() ? 1 : 0;
                }
                out.add(verdict(p.region(), masks, pick, others, family, seeds.size(), collapsed));
            }
        }
        return out;
    }

    /** Each loss's per-slice confusion counts of a grid's runs in {@code dir}, one per seed, read once. */
    private static Map<String, List<PairedBootstrap.Counts>> countsOf(Path dir, Grid grid, List<Long> seeds)
            throws IOException {
        Map<String, List<PairedBootstrap.Counts>> out = new LinkedHashMap<>();
        for (String loss : grid.losses()) {
            out.put(loss, GridResults.counts(dir, grid.models().get(0), loss, grid.ratio(), seeds));
        }
        return out;
    }

    private static Verdict verdict(Rule region, EmptyMasks masks, String pick, List<String> others,
                                   List<TrainingsComparison.Result> family, int seeds, int collapsed) {
        double[] holm = TrainingsComparison.holm(family);
        int rival = 0;  // the other loss with the highest DSC: the pick's closest competitor, or the one beating it
        for (int i = 1; i < family.size(); i++) {
            rival = family.get(i).difference() < family.get(rival).difference() ? i : rival;
        }
        TrainingsComparison.Result r = family.get(rival);
        String evidence = String.format(Locale.ROOT, "%s − %s %+.4f", Experiments.label(pick),
                Experiments.label(others.get(rival)), r.difference())
                + (r.decidable() ? String.format(Locale.ROOT, " (95 %% %+.4f to %+.4f, Holm p %.2g)", r.low(), r.high(),
                holm[rival]) : "");
        String word;
        if (seeds < TrainingsComparison.MIN_SEEDS) {
            word = "undecided";
        } else if (holm[rival] < 0.05 && r.difference() < 0) {
            word = "worse";
        } else {
            boolean beatsAll = true;
            for (int i = 0; i < family.size(); i++) {
                beatsAll &= holm[i] < 0.05 && family.get(i).difference() > 0;
            }
            word = beatsAll ? "best" : "not resolved";
        }
        return new Verdict(region, masks, pick, word, evidence, seeds, collapsed);
    }

    /** The verdicts as a table: one row per region, the two ways of counting masks side by side. */
    public static Table verdictTable(List<Verdict> verdicts) {
        StringColumn region = StringColumn.create("region");
        StringColumn pickEx = StringColumn.create("pick, tumours");
        StringColumn wordEx = StringColumn.create("verdict, tumours");
        StringColumn evEx = StringColumn.create("against the best other, tumours");
        IntColumn collapsedEx = IntColumn.create("pick's collapsed trainings");
        StringColumn pickIn = StringColumn.create("pick, all masks");
        StringColumn wordIn = StringColumn.create("verdict, all masks");
        for (Verdict v : verdicts) {
            if (v.masks() == EmptyMasks.EXCLUDE) {
                region.append(v.region().condition());
                pickEx.append(Experiments.label(v.pick()));
                wordEx.append(v.word());
                evEx.append(v.evidence());
                collapsedEx.append(v.collapsed());
            } else {
                pickIn.append(Experiments.label(v.pick()));
                wordIn.append(v.word());
            }
        }
        int seeds = verdicts.isEmpty() ? 0 : verdicts.get(0).seeds();
        return Table.create("does the rule pick the best loss? the pick against every other loss across " + seeds
                + " trainings a side, Holm over each region's five comparisons (measured by this kit)", region, pickEx,
                wordEx, evEx, collapsedEx, pickIn, wordIn);
    }

    /** How many runs of the study collapsed, per loss (the transformations' failures, not hidden). */
    public static Table collapses(Table runs) {
        StringColumn loss = StringColumn.create("loss");
        IntColumn n = IntColumn.create("runs");
        IntColumn collapsed = IntColumn.create("collapsed");
        DoubleColumn lowest = DoubleColumn.create("lowest test DSC");
        for (String l : Grid.BRANCH_STUDY.losses()) {
            Table sub = runs.where(runs.stringColumn("loss").isEqualTo(Experiments.label(l)));
            loss.append(Experiments.label(l));
            n.append(sub.rowCount());
            collapsed.append((int) count(sub, Convergence.State.COLLAPSED));
            lowest.append(sub.doubleColumn("dsc_pooled").min());
        }
        return Table.create("runs that collapsed to a degenerate prediction, per loss, over every region (measured)",
                loss, n, collapsed, lowest);
    }
}
