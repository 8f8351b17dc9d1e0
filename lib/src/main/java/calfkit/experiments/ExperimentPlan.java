package calfkit.experiments;

import java.util.List;

import calfkit.config.Protocol;
import calfkit.config.Scale;
import calfkit.train.TrainConfig;

/**
 * How big a notebook's experiments are at a scale, and under which protocol: the training seeds; every other
 * setting of a run is the scale's default under the protocol ({@link TrainConfig#forScale}, the one source of
 * them). The data seed is the same for every run, so all seeds and all losses of a grid see the same training,
 * validation and test slices (paired comparisons over test slices rest on that).
 * <ul>
 *   <li>smoke: 1 seed: proves the cells run (numbers mean nothing).</li>
 *   <li>quick: 2 seeds of the quick recipe: on 2 CPU cores the paper's full grid at 3 seeds and 8 epochs
 *       took 1,071 s of notebooks (18 minutes) in a measured main job, over the 15-minute budget; with 2 seeds the
 *       comparisons rest on the test slices
 *       as well (paired bootstrap, docs/convergence.md).</li>
 *   <li>full: 3 seeds with the paper's settings.</li>
 * </ul>
 * A grid whose question needs a verdict across trainings (the branch study and the identity control, notebook 09)
 * asks for more of the kit's seeds than the tables have ({@link #firstSeeds}): a verdict that one loss beats another
 * needs at least {@link calfkit.metrics.TrainingsComparison#MIN_SEEDS} trainings behind it.
 */
public record ExperimentPlan(Scale scale, Protocol protocol, List<Long> seeds) {

    /** The plan of a scale under the kit's protocol. */
    public static ExperimentPlan forScale(Scale scale) {
        return forScale(scale, Protocol.KIT);
    }

    /** The plan of a scale under a protocol ({@code CALF_PROTOCOL} in the notebooks). */
    public static ExperimentPlan forScale(Scale scale, Protocol protocol) {
        return switch (scale) {
            case SMOKE -> new ExperimentPlan(scale, protocol, List.of(12345L));
            case QUICK -> new ExperimentPlan(scale, protocol, List.of(12345L, 2L));
            case FULL -> new ExperimentPlan(scale, protocol, List.of(12345L, 2L, 3L));
        };
    }

    /** The kit's training seeds, in the order grids take them: the tables' first. */
    static final List<Long> KIT_SEEDS = List.of(12345L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);

    /**
     * The first {@code n} of the kit's training seeds (12345, 2, 3, …), for a grid that needs more trainings than
     * the tables; at smoke scale only the first (smoke runs prove that code runs, their numbers mean nothing).
     */
    public List<Long> firstSeeds(int n) {
        if (n < 1 || n > KIT_SEEDS.size()) {
            throw new IllegalArgumentException("seeds: expected 1 to " + KIT_SEEDS.size() + ", got " + n);
        }
        return scale == Scale.SMOKE ? seeds.subList(0, 1) : KIT_SEEDS.subList(0, n);
    }

    /** The training config of one run of this plan. */
    public TrainConfig config(String model, String loss, double ratio, long seed) {
        return TrainConfig.forScale(scale, protocol, model, loss).toBuilder().ratio(ratio).seed(seed).build();
    }

    /** Epochs every run of this plan trains. */
    public int epochs() {
        return TrainConfig.forScale(scale, "unet", "bce").epochs();
    }
}
