package calfkit.train;

import java.util.Locale;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import calfkit.config.Scale;
import calfkit.loss.Losses;
import calfkit.model.Models;
import calfkit.stats.BranchScope;
import calfkit.stats.EmptyMasks;

/**
 * Everything that defines a training run; saved as {@code config.json} in the run folder.
 *
 * @param model          unet, deeplabv3, deeplabv3plus or fpn
 * @param size           the model size (QUICK or PAPER)
 * @param loss           a name from {@link Losses#names()}
 * @param scope          CALF's branch scope (dataset or per batch); ignored by other losses
 * @param emptyMasks     whether empty masks enter CALF's area statistics
 * @param ratio          tumour-slice ratio of the training set; NaN keeps the natural ratio
 * @param epochs         epochs to train
 * @param batch          images per batch on one device (multiplied by the number of GPUs)
 * @param learningRate   Adam's learning rate
 * @param seed           seeds the split, the sampler, the initialisation, the shuffling and the augmentation
 * @param augment        training augmentations on or off
 * @param maxTrainSlices cap on training slices after sampling (0: no cap), to fit a time budget
 * @param workers        data-loading threads (0: chosen for the device)
 */
public record TrainConfig(String model, Models.Size size, String loss, BranchScope scope, EmptyMasks emptyMasks,
                          double ratio, int epochs, int batch, double learningRate, long seed, boolean augment,
                          int maxTrainSlices, int workers) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    public TrainConfig {
        model = Models.normalise(model);
        if (!Models.NAMES.contains(model)) {
            throw new IllegalArgumentException("unknown model '" + model + "'; expected one of " + String.join(", ", Models.NAMES));
        }
        loss = loss.trim().toLowerCase(Locale.ROOT);
        if (!loss.equals("calf")) {
            Losses.create(loss); // validates the name
        }
        if (!Double.isNaN(ratio) && !(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("tumour ratio must be in [0, 1], got " + ratio);
        }
        if (epochs < 1 || batch < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("epochs and batch must be ≥ 1 and the learning rate > 0, got epochs "
                    + epochs + ", batch " + batch + ", learning rate " + learningRate);
        }
    }

    /**
     * The defaults of a scale. {@code full} is the authors' setting: Adam, learning rate 1e-5, batch 32,
     * 20 epochs, seed 12345, paper-sized models. {@code quick} trains small models for 2 CPU cores (a larger
     * learning rate, so that a few epochs learn something); {@code smoke} one short epoch.
     */
    public static TrainConfig forScale(Scale scale, String model, String loss) {
        return switch (scale) {
            case SMOKE -> new TrainConfig(model, Models.Size.QUICK, loss, BranchScope.DATASET, EmptyMasks.INCLUDE,
                    Double.NaN, 1, 8, 1e-3, 12345, false, 32, 0);
            case QUICK -> new TrainConfig(model, Models.Size.QUICK, loss, BranchScope.DATASET, EmptyMasks.INCLUDE,
                    Double.NaN, 4, 8, 1e-3, 12345, true, 0, 0);
            case FULL -> new TrainConfig(model, Models.Size.PAPER, loss, BranchScope.DATASET, EmptyMasks.INCLUDE,
                    Double.NaN, 20, 32, 1e-5, 12345, true, 0, 0);
        };
    }

    public TrainConfig withRatio(double r) {
        return new TrainConfig(model, size, loss, scope, emptyMasks, r, epochs, batch, learningRate, seed, augment, maxTrainSlices, workers);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(model, size, loss, scope, emptyMasks, ratio, e, batch, learningRate, seed, augment, maxTrainSlices, workers);
    }

    public TrainConfig withBatch(int b) {
        return new TrainConfig(model, size, loss, scope, emptyMasks, ratio, epochs, b, learningRate, seed, augment, maxTrainSlices, workers);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(model, size, loss, scope, emptyMasks, ratio, epochs, batch, learningRate, s, augment, maxTrainSlices, workers);
    }

    public TrainConfig withScope(BranchScope s) {
        return new TrainConfig(model, size, loss, s, emptyMasks, ratio, epochs, batch, learningRate, seed, augment, maxTrainSlices, workers);
    }

    public TrainConfig withLearningRate(double lr) {
        return new TrainConfig(model, size, loss, scope, emptyMasks, ratio, epochs, batch, lr, seed, augment, maxTrainSlices, workers);
    }

    public TrainConfig withMaxTrainSlices(int n) {
        return new TrainConfig(model, size, loss, scope, emptyMasks, ratio, epochs, batch, learningRate, seed, augment, n, workers);
    }

    public TrainConfig withModel(String m, Models.Size s) {
        return new TrainConfig(m, s, loss, scope, emptyMasks, ratio, epochs, batch, learningRate, seed, augment, maxTrainSlices, workers);
    }

    public TrainConfig withLoss(String l) {
        return new TrainConfig(model, size, l, scope, emptyMasks, ratio, epochs, batch, learningRate, seed, augment, maxTrainSlices, workers);
    }

    public TrainConfig withAugment(boolean a) {
        return new TrainConfig(model, size, loss, scope, emptyMasks, ratio, epochs, batch, learningRate, seed, a, maxTrainSlices, workers);
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static TrainConfig fromJson(String json) {
        return GSON.fromJson(json, TrainConfig.class);
    }

    /** Same run except for the number of epochs (what --resume may change). */
    public boolean sameRunAs(TrainConfig o) {
        return withEpochs(1).equals(o.withEpochs(1));
    }
}
