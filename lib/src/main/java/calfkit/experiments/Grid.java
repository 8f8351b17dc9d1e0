package calfkit.experiments;

import java.util.List;
import java.util.Locale;

import calfkit.data.RunData;
import calfkit.model.Models;

/**
 * A grid of training runs as data: models × losses at one tumour ratio, over the plan's seeds (or the first
 * {@code seeds} of them). The notebooks run these grids; runs of the same (model, loss, ratio, seed) are one run
 * folder, shared by every grid and notebook that needs it (04's CALF runs are 03's; 06, 07 and 08 read 05's).
 *
 * @param name   what the notebooks call it
 * @param file   the results table's file name, without {@code .csv}
 * @param models architectures ({@link Models#NAMES})
 * @param losses loss names
 * @param ratio  tumour-slice ratio of the training sample (NaN: the dataset's natural ratio)
 * @param seeds  how many seeds: 0 the plan's (the tables'), n the first n of the kit's ({@link ExperimentPlan#firstSeeds})
 * @param split  what the split keeps together when it is not the plan's protocol's (null: the protocol's)
 * @param quickEpochs epochs of every run at the quick scale (0: the scale's, {@code TrainConfig.forScale}); smoke and
 *               full train their scale's
 */
public record Grid(String name, String file, List<String> models, List<String> losses, double ratio, int seeds,
                   RunData.SplitUnit split, int quickEpochs) {

    /** The CALF paper's Table 4: three architectures × BCE, Focal, CALF at ratio 0.409. */
    public static final Grid TABLE4 = new Grid("Table 4", "table4", List.of("unet", "deeplabv3", "fpn"),
            List.of("bce", "focal", "calf"), 0.409, 0);

    /** Notebook 03: the three architectures trained with CALF, which are Table 4's CALF runs. */
    public static final Grid TRAINING = new Grid("CALF training", "training", List.of("unet", "deeplabv3", "fpn"),
            List.of("calf"), 0.409, 0);

    /** The CALF paper's Table 5: FPN × seven losses at ratio 0.1. */
    public static final Grid TABLE5 = new Grid("Table 5", "table5", List.of("fpn"),
            List.of("bce", "tversky", "iou", "focal", "dice", "bce-dice", "calf"), 0.1, 0);

    /**
     * CALF beside the seed papers' adaptive losses, in Table 5's setting (the CALF paper compares its losses on FPN
     * at ratio 0.1): one seed, its comparisons paired over test slices (as {@link #AFL_ABLATION}); Table 5's CALF
     * run is read back. The grid is not one of the paper's tables, and the quick series' time budget goes to
     * Tables 4 and 5's second seed.
     */
    public static final Grid ADAPTIVE = new Grid("adaptive losses", "adaptive", List.of("fpn"),
            List.of("calf", "afl", "boundary", "modified-boundary"), 0.1, 1);

    /**
     * A-FL's ablation in the same setting: one seed (the comparisons are paired over test slices), the runs that
     * {@link #ADAPTIVE} and {@link #TABLE5} share with it read back.
     */
    public static final Grid AFL_ABLATION = new Grid("A-FL ablation", "afl-ablation", List.of("fpn"),
            List.of("focal", "afl-alpha", "afl-alpha-gva", "afl-alpha-gmsa", "afl", "afl-gva-gmsa"), 0.1, 1);

    /**
     * The annotation-bias question (notebook 05): Table 5's FPN at ratio 0.1 with BCE and CALF, one seed, trained
     * on the phantom with polygon masks ({@code Datasets.phantom(settings, AnnotationBias.POLYGON)}); its runs
     * live in their own results folder, since the data differ.
     */
    public static final Grid POLYGON = new Grid("polygon annotations", "polygon", List.of("fpn"),
            List.of("bce", "calf"), 0.1, 1);

    /**
     * Notebook 08, one protocol choice at a time: Table 5's losses in the CALF authors' conventions ("-authors"
     * names, {@code calfkit.loss.LossKind}), everything else the kit's; one seed, each paired over the test slices with
     * Table 5's run of the same seed (BCE has one convention: its Table 5 runs stand for both).
     */
    public static final Grid CONVENTIONS = new Grid("the authors' loss conventions", "conventions", List.of("fpn"),
            List.of("tversky-authors", "iou-authors", "focal-authors", "dice-authors", "bce-dice-authors", "calf-authors"),
            0.1, 1);

    /**
     * Notebook 08: Table 5's FPN with BCE, split by slice as the authors' folders imply (a patient's neighbouring
     * slices on both sides), everything else the kit's; its runs live in their own results folder, since their run
     * names are Table 5's.
     */
    public static final Grid SLICE_SPLIT = new Grid("a slice-level split", "slice-split", List.of("fpn"), List.of("bce"),
            0.1, 0, RunData.SplitUnit.SLICE, 0);

    /**
     * Notebook 09, the identity control: BCE, BCE / ln 10 from logits (Adam's ε × ln 10), Natural log (BCE on clamped
     * probabilities) and Log10 (both), the quick U-Net on the branch study's S ≥ 1 phantom (where the rule picks Log10
     * with or without empty masks), 3 seeds, 6 epochs; its Log10 runs are the study's ({@link BranchStudy}).
     */
    public static final Grid IDENTITY = new Grid("the identity control", "identity", List.of("unet"),
            List.of("bce", "bce-log10", "ln", "log10"), Double.NaN, 3, null, 6);

    /**
     * Notebook 09, the branch study: every distinct transformation of Table 2 and Dice, the quick U-Net on 32×32
     * phantoms, 3 seeds, 6 epochs of 256 slices (extended while still rising), run once for each region's phantom
     * ({@link BranchStudy}).
     */
    public static final Grid BRANCH_STUDY = new Grid("the branch study", "branch-study", List.of("unet"),
            List.of("fisher", "logit", "arcsine", "log10", "bce-dice", "dice"), Double.NaN, 3, null, 6);

    /** Every grid of the notebook series, in notebook order. */
    public static final List<Grid> SERIES = List.of(TABLE4, TABLE5, ADAPTIVE, AFL_ABLATION);

    /** A grid split as its plan's protocol splits. */
    public Grid(String name, String file, List<String> models, List<String> losses, double ratio, int seeds) {
        this(name, file, models, losses, ratio, seeds, null, 0);
    }

    /** The epochs of every run under a plan: {@link #quickEpochs} at the quick scale, else 0 (the scale's). */
    public int epochs(ExperimentPlan plan) {
        return plan.scale() == calfkit.config.Scale.QUICK ? quickEpochs : 0;
    }

    public Grid {
        models = models.stream().map(Models::normalise).toList();
        losses = List.copyOf(losses);
        if (models.isEmpty() || losses.isEmpty() || seeds < 0 || quickEpochs < 0) {
            throw new IllegalArgumentException("a grid needs models, losses, seeds ≥ 0 and quick epochs ≥ 0; got " + models
                    + ", " + losses + ", " + seeds + ", " + quickEpochs);
        }
    }

    /** The seeds of this grid under a plan. */
    public List<Long> seeds(ExperimentPlan plan) {
        return seeds == 0 ? plan.seeds() : plan.firstSeeds(seeds);
    }

    /** The folder name of one run: {@code <model>-<loss>-r<ratio>-seed<seed>} ({@code rnatural} for NaN). */
    public static String runName(String model, String loss, double ratio, long seed) {
        String r = Double.isNaN(ratio) ? "natural" : String.format(Locale.ROOT, "%.3f", ratio).replaceAll("0+$", "")
                .replaceAll("\\.$", "");
        return Models.normalise(model) + "-" + loss + "-r" + r + "-seed" + seed;
    }
}
