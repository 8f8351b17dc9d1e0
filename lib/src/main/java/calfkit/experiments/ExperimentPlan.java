package calfkit.experiments;

import java.util.List;

import calfkit.config.Scale;
import calfkit.train.TrainConfig;

/**
 * How big a notebook's experiments are at a scale: the seeds, and the training settings every run shares.
 * <ul>
 *   <li>smoke: 1 seed, 1 epoch, 32 training slices: proves the cells run (numbers mean nothing).</li>
 *   <li>quick: 3 seeds, 4 epochs, 256 training slices of the 64×64 phantom data, quick-sized models:
 *       the whole notebook series fits in 15 minutes on 2 CPU cores.</li>
 *   <li>full: 3 seeds with the paper's settings (paper-sized models, batch 32, 20 epochs, lr 1e-5).</li>
 * </ul>
 */
public record ExperimentPlan(Scale scale, List<Long> seeds, int epochs, int maxTrainSlices) {

    public static ExperimentPlan forScale(Scale scale) {
        return switch (scale) {
            case SMOKE -> new ExperimentPlan(scale, List.of(12345L), 1, 32);
            case QUICK -> new ExperimentPlan(scale, List.of(12345L, 2L, 3L), 4, 256);
            case FULL -> new ExperimentPlan(scale, List.of(12345L, 2L, 3L), 20, 0);
        };
    }

    /** The training config of one run of this plan. */
    public TrainConfig config(String model, String loss, double ratio, long seed) {
        TrainConfig c = TrainConfig.forScale(scale, model, loss).withRatio(ratio).withSeed(seed);
        return scale == Scale.FULL ? c : c.withEpochs(epochs).withMaxTrainSlices(maxTrainSlices);
    }
}
