package calfkit.train;

import java.util.Locale;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import calfkit.config.Protocol;
import calfkit.config.Scale;
import calfkit.data.RunData;
import calfkit.data.SliceIndex;
import calfkit.loss.LossKind;
import calfkit.loss.LossName;
import calfkit.model.Initialisation;
import calfkit.model.Models;
import calfkit.stats.BranchScope;
import calfkit.stats.EmptyMasks;

/**
 * Everything that defines a training run; saved as {@code config.json} in the run folder. Built like DJL's
 * configurations: {@link #forScale} gives a scale's defaults (the one source of them), {@link #toBuilder()}
 * changes what differs.
 *
 * @param model          unet, deeplabv3, deeplabv3plus or fpn
 * @param size           the model size (QUICK or PAPER)
 * @param loss           a name from {@link LossKind#names()}
 * @param scope          CALF's branch scope (dataset or per batch); ignored by other losses
 * @param emptyMasks     whether empty masks enter CALF's area statistics
 * @param ratio          tumour-slice ratio of the training set; NaN keeps the natural ratio
 * @param epochs         epochs to train
 * @param extensions     the most annealing cycles added to a run still rising at its last epoch
 *                       ({@link PlateauExtension}; 0: exactly {@code epochs}; 0 in runs saved before it existed)
 * @param batch          images per batch on one device (multiplied by the number of GPUs)
 * @param learningRate   Adam's (peak) learning rate
 * @param seed           the training seed: initialisation, shuffling, augmentation, dropout
 * @param augment        training augmentations on or off
 * @param slicesPerEpoch training slices drawn per epoch from the whole training sample, different ones each epoch
 *                       ({@link calfkit.data.EpochSampler}; 0: the whole sample every epoch): an epoch is a fixed
 *                       number of steps, as nnU-Net's, whatever the sample's size
 * @param workers        data-loading threads (0: chosen for the device)
 * @param recipe         how the optimisation runs ({@link Recipe}); null in runs saved before recipes existed,
 *                       which trained as {@link Recipe#AUTHORS}
 * @param dataSeed       seeds the patient split, the tumour-ratio sampler and the cap, so that every training
 *                       seed of a grid sees the same training, validation and test slices; null in runs saved
 *                       before it existed, which used {@code seed}
 * @param protocol       whose protocol the run follows ({@link Protocol}: split, loss conventions, CALF's areas,
 *                       epoch selection, test reduction); runs saved before protocols existed followed
 *                       {@link Protocol#KIT}, which a missing value reads as
 * @param split          what the split keeps together when it is not the protocol's ({@code calf train --split}):
 *                       null stands for the protocol's (patients under the kit's, slices under the authors';
 *                       {@link #forScale} now gives the authors' protocol slices-per-patient, stored), and
 *                       the constructor stores null for it, so that configs saved before the switch are equal to
 *                       the same run planned now; {@link #splitUnit()} is the unit in force
 * @param init           how the parameters start ({@link Initialisation}); null stands for {@link Initialisation#KIT},
 *                       as in runs saved before the setting existed; the {@link Recipe#AUTHORS} recipe sets PyTorch's
 * @param keepLastBatch  whether an epoch's last partial batch is trained on (as PyTorch's {@code DataLoader} with
 *                       {@code drop_last} unset, the authors'); null stands for false (dropped), as in runs saved
 *                       before it existed; the {@link Recipe#AUTHORS} recipe keeps it; only with unstratified batches
 */
public record TrainConfig(String model, Models.Size size, String loss, BranchScope scope, EmptyMasks emptyMasks,
                          double ratio, int epochs, int extensions, int batch, double learningRate, long seed, boolean augment,
                          int slicesPerEpoch, int workers, Recipe recipe, Long dataSeed, Protocol protocol,
                          RunData.SplitUnit split, Initialisation init, Boolean keepLastBatch) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** The data seed of every scale's defaults (the paper's seed). */
    public static final long DEFAULT_DATA_SEED = 12345;

    public TrainConfig {
        protocol = protocol == null ? Protocol.KIT : protocol;
        split = split == protocolSplit(protocol) ? null : split;
        init = init == Initialisation.KIT ? null : init;
        keepLastBatch = Boolean.TRUE.equals(keepLastBatch) ? Boolean.TRUE : null;
        model = Models.normalise(model);
        if (!Models.NAMES.contains(model)) {
            throw new IllegalArgumentException("unknown model '" + model + "'; expected one of " + String.join(", ", Models.NAMES));
        }
        loss = loss.trim().toLowerCase(Locale.ROOT);
        LossName name = LossName.parse(loss); // validates the name against the registry
        if (!Double.isNaN(ratio) && !(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("tumour ratio must be in [0, 1], got " + ratio);
        }
        // One range per value, checked here, where every run's settings enter (calf train, grid plan, config.json).
        requireIn("epochs", epochs, 1, MAX_EPOCHS);
        requireIn("batch", batch, 1, MAX_BATCH);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be a finite number > 0, got " + learningRate);
        }
        requireIn("extensions (0: train exactly the epochs)", extensions, 0, MAX_EXTENSIONS);
        requireIn("slices per epoch (0: the whole sample)", slicesPerEpoch, 0, Integer.MAX_VALUE);
        requireIn("seed", seed, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (dataSeed != null) {
            requireIn("data seed", dataSeed, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (keepLastBatch != null && (recipe == null ? Recipe.AUTHORS : recipe).stratifiedBatches()) {
            throw new IllegalArgumentException("the last partial batch can be kept only with unstratified batches (the "
                    + "authors recipe); the " + recipe.label() + " recipe deals its tumour slices over whole batches");
        }
        if (name.kind() == LossKind.CALF && name.conventions(protocol) == Protocol.AUTHORS
                && scope == BranchScope.DATASET) {
            throw new IllegalArgumentException("the authors' CALF (" + (protocol == Protocol.AUTHORS ? "protocol authors"
                    : "loss " + loss) + ") chooses its branch for every batch, as their code: scope per-batch, not "
                    + "dataset (use --protocol kit and --loss calf for the dataset scope)");
        }
    }

    /** The run's loss as a type: the registry's loss and the conventions its name asks for. */
    public LossName lossName() {
        return LossName.parse(loss);
    }

    /** The most epochs a run may plan (the paper trains 20). */
    public static final int MAX_EPOCHS = 10_000;
    /** The largest batch. */
    public static final int MAX_BATCH = 1 << 20;
    /** The most extension cycles. */
    public static final int MAX_EXTENSIONS = 1_000;

    private static void requireIn(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /**
     * The split unit a config without one stands for: patients under the kit's protocol, slices under the authors'
     * (what runs of the authors' protocol saved before {@link RunData.SplitUnit#SLICE_PER_PATIENT} existed used;
     * runs planned since store their unit).
     */
    public static RunData.SplitUnit protocolSplit(Protocol protocol) {
        return protocol == Protocol.AUTHORS ? RunData.SplitUnit.SLICE : RunData.SplitUnit.PATIENT;
    }

    /** What this run's split keeps together: {@code split}, else its protocol's. */
    public RunData.SplitUnit splitUnit() {
        return split == null ? protocolSplit(protocol) : split;
    }

    /** How this run's parameters start ({@link Initialisation#KIT} for runs saved before the setting existed). */
    public Initialisation effectiveInit() {
        return init == null ? Initialisation.KIT : init;
    }

    /** Whether an epoch's last partial batch is trained on (false for runs saved before the setting existed). */
    public boolean keepsLastBatch() {
        return Boolean.TRUE.equals(keepLastBatch);
    }

    /** The recipe this run trains with ({@link Recipe#AUTHORS} for runs saved before recipes existed). */
    public Recipe effectiveRecipe() {
        return recipe == null ? Recipe.AUTHORS : recipe;
    }

    /**
     * The slices this run trains, validates and tests on ({@link RunData}: split, then the tumour-ratio sampler):
     * split by {@link #splitUnit()}: patient, or slice (the authors' protocol's, or {@code --split slices}).
     */
    public RunData data(SliceIndex index) {
        return RunData.of(index, ratio, effectiveDataSeed(), splitUnit());
    }

    /** The seed of the split and the sampler ({@code seed} for runs saved before the two were separate). */
    public long effectiveDataSeed() {
        return dataSeed == null ? seed : dataSeed;
    }

    /**
     * The defaults of a scale, the one place they live (the CLI and the notebooks' grids start here).
     * <ul>
     *   <li>{@code smoke}: one short epoch of 32 slices; proves that the code runs, numbers mean nothing.</li>
     *   <li>{@code quick}: quick-sized models, epochs of 256 slices drawn from the 48×48 phantom's training sample,
     *       the {@link Recipe#KIT} recipe (peak learning rate 3e-3, U-Net 6e-3, FPN 1.5e-3, with warm-up and cosine
     *       decay, prior bias, BatchNorm re-estimation), no augmentation, 16 epochs of 256 slices (512 steps of 8;
     *       FPN 12) and up to twenty cycles of a third of them more while validation DSC still rises
     *       ({@link PlateauExtension}; twenty since the branch study: its 4-epoch runs on 32×32 phantoms were still
     *       gaining 0.010–0.031 after two cycles in 13 of 72 runs and 0.011–0.040 after four in 8 of 81; at 6 epochs
     *       with ten cycles two Arcsine runs (seed 3 on the S ≥ 1 phantom, seed 12345 on S ≤ −1) still gained 0.023
     *       and 0.018 after 26 epochs, and reached their plateau at 32 and 38 with test DSC 0.978 and 0.989 against
     *       0.964 and 0.979 at 26: Arcsine's gradient vanishes at confident errors and it learns slowly, but not less;
     *       the cap only costs the runs still rising; the series' other runs reach their plateau within two cycles,
     *       so their numbers do not change), sized for the notebook series on 2 CPU
     *       cores; at 8 epochs the quick U-Net's best seeds
     *       were still gaining 0.02–0.05 in validation DSC (docs/convergence.md). The U-Net (width 16) at 6e-3:
     *       at 3e-3 CALF's runs gained 0.015–0.018 over their last 3 of 12 epochs, BCE seed 12345 0.016; at 6e-3
     *       BCE 0.001 / 0.009 (seeds 12345 / 2), CALF still 0.022 / 0.017, and 0.004 / 0.010 over 14 epochs.
     *       FPN at a peak of 1.5e-3: at 3e-3 its
     *       validation DSC at ratio 0.1 fell to 0–0.3 for epochs at a time (BCE seed 2, BCE-Dice seed 2), and
     *       test DSC spread 0.81–0.89 (BCE) over two seeds; at 1.5e-3 0.83–0.87, BCE-Dice seed 2 0.72 → 0.87.
     *       DeepLabV3 for 16: at 12, Focal's seeds 12345 / 2 ended at test DSC 0.707 / 0.797 and BCE seed 2 still
     *       gained 0.012 over its last 3 epochs; at 16, 0.739 / 0.761 and every run at its plateau.</li>
     *   <li>{@code full}: the paper's setting as its authors trained (Adam, constant learning rate 1e-5, batch 32,
     *       20 epochs, paper-sized models, no augmentation, {@link Recipe#AUTHORS}).</li>
     * </ul>
     */
    public static TrainConfig forScale(Scale scale, String model, String loss) {
        return forScale(scale, Protocol.KIT, model, loss);
    }

    /**
     * The defaults of a scale under a protocol. {@link Protocol#AUTHORS} changes what the authors' code does
     * differently and keeps the scale's budget (model size, epochs, batch, learning rate, slices per epoch):
     * the {@link Recipe#AUTHORS} recipe, no augmentation, CALF per batch on every mask's contour areas, 10 % of each
     * patient's slices for test and every other slice trained on ({@link RunData.SplitUnit#SLICE_PER_PATIENT}).
     */
    public static TrainConfig forScale(Scale scale, Protocol protocol, String model, String loss) {
        TrainConfig kit = kitDefaults(scale, model, loss);
        if (protocol != Protocol.AUTHORS) {
            return kit;
        }
        return kit.toBuilder().protocol(Protocol.AUTHORS).recipe(Recipe.AUTHORS).augment(false)
                .scope(BranchScope.PER_BATCH).emptyMasks(EmptyMasks.INCLUDE).split(RunData.SplitUnit.SLICE_PER_PATIENT)
                .build();
    }

    private static TrainConfig kitDefaults(Scale scale, String model, String loss) {
        LossName name = LossName.parse(loss);
        BranchScope scope = name.kind() == LossKind.CALF && name.authors()
                ? BranchScope.PER_BATCH : BranchScope.DATASET;
        TrainConfigBuilder b = new TrainConfigBuilder().model(model).loss(loss).scope(scope).emptyMasks(EmptyMasks.INCLUDE)
                .ratio(Double.NaN).seed(DEFAULT_DATA_SEED).dataSeed(DEFAULT_DATA_SEED).augment(false).workers(0);
        return switch (scale) {
            case SMOKE -> b.size(Models.Size.QUICK).epochs(1).batch(8).learningRate(3e-3).slicesPerEpoch(32)
                    .recipe(Recipe.KIT).build();
            case QUICK -> b.size(Models.Size.QUICK).epochs(Models.architecture(model).quickEpochs()).extensions(20).batch(8)
                    .learningRate(Models.architecture(model).quickLearningRate()).slicesPerEpoch(256)
                    .recipe(Recipe.KIT).build();
            case FULL -> b.size(Models.Size.PAPER).epochs(20).batch(32).learningRate(1e-5).slicesPerEpoch(0)
                    .recipe(Recipe.AUTHORS).build();
        };
    }

    /** A builder holding this config's values. */
    public TrainConfigBuilder toBuilder() {
        return new TrainConfigBuilder().model(model).size(size).loss(loss).scope(scope).emptyMasks(emptyMasks).ratio(ratio)
                .epochs(epochs).extensions(extensions).batch(batch).learningRate(learningRate).seed(seed).augment(augment)
                .slicesPerEpoch(slicesPerEpoch).workers(workers).recipe(recipe).dataSeed(dataSeed).protocol(protocol).split(split)
                .init(init).keepLastBatch(keepLastBatch);
    }

    public TrainConfig withRatio(double r) {
        return toBuilder().ratio(r).build();
    }

    public TrainConfig withEpochs(int e) {
        return toBuilder().epochs(e).build();
    }

    public TrainConfig withBatch(int b) {
        return toBuilder().batch(b).build();
    }

    public TrainConfig withSeed(long s) {
        return toBuilder().seed(s).build();
    }

    public TrainConfig withLoss(String l) {
        return toBuilder().loss(l).build();
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static TrainConfig fromJson(String json) {
        return GSON.fromJson(json, TrainConfig.class);
    }

    /** Same run except for the number of epochs (what --resume may change): no {@link #differencesFrom}. */
    public boolean sameRunAs(TrainConfig o) {
        return differencesFrom(o).isEmpty();
    }

    /**
     * The settings in which {@code asked} differs from this run's, as config.json names them, epochs aside:
     * "learningRate (saved 0.006, asked 0.003)"; empty for the same run.
     */
    public java.util.List<String> differencesFrom(TrainConfig asked) {
        com.google.gson.JsonObject a = com.google.gson.JsonParser.parseString(withEpochs(1).toJson()).getAsJsonObject();
        com.google.gson.JsonObject b = com.google.gson.JsonParser.parseString(asked.withEpochs(1).toJson()).getAsJsonObject();
        java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String k : keys) {
            String x = a.has(k) ? a.get(k).toString() : "unset";
            String y = b.has(k) ? b.get(k).toString() : "unset";
            if (!x.equals(y)) {
                out.add(k + " (saved " + x + ", asked " + y + ")");
            }
        }
        return out;
    }
}
