package calfkit.train;

import ai.djl.training.tracker.Tracker;

/**
 * The {@link Recipe#KIT} learning rate: a linear warm-up from {@code peak / warmUp} to {@code peak} over the
 * first {@code warmUp} steps, then half a cosine from {@code peak} down to {@code peak · floor} at the last step
 * (as DJL's {@code WarmUpTracker} around a {@code CosineTracker}, or timm's cosine schedule with warm-up):
 *
 * <pre>
 *   lr(s) = peak · s / w                                                    s ≤ w
 *   lr(s) = peak · (floor + (1 − floor) · (1 + cos(π (s − w) / (S − w))) / 2)   w &lt; s ≤ S
 * </pre>
 *
 * with s the 1-based step of the whole run. Past S, a run still rising at its last epoch anneals again
 * ({@link PlateauExtension}): step S + j takes the rate of step S − R + ((j − 1) mod R) + 1, a replay of the last R
 * steps (R: one cycle's steps, at most S − w; R = 0 keeps the last rate). DJL's Adam counts updates from 1 again when a run resumes (its
 * moment estimates are not saved), so the schedule adds the steps of the epochs already finished
 * ({@code offset}): a resumed run continues the curve where it stopped instead of warming up again.
 */
public final class LearningRateSchedule implements Tracker {

    private final float peak;
    private final int warmUp;
    private final int total;
    private final float floor;
    private final int offset;
    private final int replay;

    /**
     * @param peak   the learning rate after warm-up
     * @param warmUp warm-up steps (0: none)
     * @param total  steps of the whole run
     * @param floor  the final learning rate as a fraction of {@code peak}
     * @param offset steps already taken (a resumed run's finished epochs)
     * @param replay steps an extension cycle replays (0: steps past the end keep the last rate)
     */
    public LearningRateSchedule(float peak, int warmUp, int total, float floor, int offset, int replay) {
        if (!(peak > 0) || warmUp < 0 || total < 1 || warmUp >= total && warmUp > 0 || !(floor >= 0 && floor <= 1)
                || offset < 0 || replay < 0) {
            throw new IllegalArgumentException("learning-rate schedule: need peak > 0, 0 ≤ warm-up < total, floor in "
                    + "[0, 1], offset ≥ 0, replay ≥ 0; got peak " + peak + ", warm-up " + warmUp + ", total " + total
                    + ", floor " + floor + ", offset " + offset + ", replay " + replay);
        }
        this.replay = Math.min(replay, total - warmUp);
        this.peak = peak;
        this.warmUp = warmUp;
        this.total = total;
        this.floor = floor;
        this.offset = offset;
    }

    /**
     * The kit's schedule for a run: warm-up over one epoch, at most a tenth of the run; final rate 1 % of peak; an
     * extension cycle replays the last {@link PlateauExtension#cycle} epochs.
     */
    public static LearningRateSchedule forRun(double peak, int stepsPerEpoch, int epochs, int finishedEpochs) {
        long steps = (long) stepsPerEpoch * (Math.max(epochs, finishedEpochs) + PlateauExtension.cycle(epochs));
        if (steps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(epochs + " epochs of " + stepsPerEpoch + " steps are more than the "
                    + Integer.MAX_VALUE + " steps a schedule counts; train fewer epochs or fewer slices per epoch");
        }
        int total = Math.max(1, stepsPerEpoch * epochs);
        int warmUp = Math.min(stepsPerEpoch, total / 10);
        return new LearningRateSchedule((float) peak, warmUp, total, 0.01f, stepsPerEpoch * finishedEpochs,
                stepsPerEpoch * PlateauExtension.cycle(epochs));
    }

    @Override
    public float getNewValue(int numUpdate) {
        return at(offset + numUpdate);
    }

    /** The learning rate at 1-based step {@code step} of the whole run, extension cycles included. */
    public float at(int step) {
        if (step > total && replay > 0) {
            step = total - replay + (step - total - 1) % replay + 1;
        }
        if (step <= warmUp) {
            return peak * Math.max(1, step) / warmUp;
        }
        double progress = Math.min(1.0, (double) (step - warmUp) / (total - warmUp));
        return (float) (peak * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress))));
    }
}
