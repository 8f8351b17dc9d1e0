package calfkit.train;



import calfkit.config.Protocol;
import calfkit.data.RunData;
import calfkit.model.Initialisation;
import calfkit.model.Models;
import calfkit.stats.BranchScope;
import calfkit.stats.EmptyMasks;

/**
 * Sets a {@link TrainConfig}'s values one by one ({@link TrainConfig#toBuilder}, {@link TrainConfig#forScale} give a
 * start); {@link #build()} validates them.
 */
public final class TrainConfigBuilder {
    private String model;
    private Models.Size size = Models.Size.QUICK;
    private String loss;
    private BranchScope scope = BranchScope.DATASET;
    private EmptyMasks emptyMasks = EmptyMasks.INCLUDE;
    private double ratio = Double.NaN;
    private int epochs = 1;
    private int extensions;
    private int batch = 8;
    private double learningRate = 1e-3;
    private long seed = TrainConfig.DEFAULT_DATA_SEED;
    private boolean augment;
    private int slicesPerEpoch;
    private int workers;
    private Recipe recipe = Recipe.KIT;
    private Long dataSeed = TrainConfig.DEFAULT_DATA_SEED;
    private Protocol protocol = Protocol.KIT;
    private RunData.SplitUnit split;
    private Initialisation init;
    private Boolean keepLastBatch;

    public TrainConfigBuilder model(String v) {
        model = v;
        return this;
    }

    public TrainConfigBuilder size(Models.Size v) {
        size = v;
        return this;
    }

    public TrainConfigBuilder loss(String v) {
        loss = v;
        return this;
    }

    public TrainConfigBuilder scope(BranchScope v) {
        scope = v;
        return this;
    }

    public TrainConfigBuilder emptyMasks(EmptyMasks v) {
        emptyMasks = v;
        return this;
    }

    public TrainConfigBuilder ratio(double v) {
        ratio = v;
        return this;
    }

    public TrainConfigBuilder epochs(int v) {
        epochs = v;
        return this;
    }

    /** The most extension cycles ({@link PlateauExtension}); 0: exactly the epochs. */
    public TrainConfigBuilder extensions(int v) {
        extensions = v;
        return this;
    }

    public TrainConfigBuilder batch(int v) {
        batch = v;
        return this;
    }

    public TrainConfigBuilder learningRate(double v) {
        learningRate = v;
        return this;
    }

    public TrainConfigBuilder seed(long v) {
        seed = v;
        return this;
    }

    public TrainConfigBuilder augment(boolean v) {
        augment = v;
        return this;
    }

    public TrainConfigBuilder slicesPerEpoch(int v) {
        slicesPerEpoch = v;
        return this;
    }

    public TrainConfigBuilder workers(int v) {
        workers = v;
        return this;
    }

    /**
     * The recipe, and with it the recipe's start and batches ({@link Recipe#initialisation},
     * {@link Recipe#keepsLastBatch}); {@link #init} and {@link #keepLastBatch} after it change them.
     */
    public TrainConfigBuilder recipe(Recipe v) {
        recipe = v;
        if (v != null) {
            init = v.initialisation();
            keepLastBatch = v.keepsLastBatch();
        }
        return this;
    }

    /** How the parameters start; null: {@link Initialisation#KIT}. */
    public TrainConfigBuilder init(Initialisation v) {
        init = v;
        return this;
    }

    /** Whether an epoch's last partial batch is trained on; null: no. */
    public TrainConfigBuilder keepLastBatch(Boolean v) {
        keepLastBatch = v;
        return this;
    }

    public TrainConfigBuilder dataSeed(Long v) {
        dataSeed = v;
        return this;
    }

    public TrainConfigBuilder protocol(Protocol v) {
        protocol = v;
        return this;
    }

    /** The split unit; null: the protocol's. */
    public TrainConfigBuilder split(RunData.SplitUnit v) {
        split = v;
        return this;
    }

    public TrainConfig build() {
        return new TrainConfig(model, size, loss, scope, emptyMasks, ratio, epochs, extensions, batch, learningRate, seed, augment,
                slicesPerEpoch, workers, recipe, dataSeed, protocol, split, init, keepLastBatch);
    }
}
