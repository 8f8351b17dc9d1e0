package calfkit.train;

import java.util.List;

/**
 * How long a run trains: its {@code epochs}, and then, while its validation DSC is still rising at the end
 * ({@link Convergence#plateaued} false), another annealing cycle of C = ⌈E / 3⌉ epochs, at most
 * {@code extensions} times. A cycle replays the learning rates of the schedule's last C epochs
 * ({@link LearningRateSchedule}: for the quick FPN's 12 epochs, from 0.30 of the peak down to 1 %), a warm restart
 * as in SGDR (Loshchilov &amp; Hutter, 2017): the run gets a real chance to gain more, rather than epochs at the
 * floor rate that could only look flat. C is chosen so that the last quarter {@link Convergence} measures over
 * is the cycle itself (⌈(E + C) / 4⌉ = C for E = 12, 16, 20): a run that has gained at most 0.01 after it has
 * reached its plateau; one that gains more is extended again, and still rising after its last cycle it is reported
 * as such. A run that plateaus within its epochs trains exactly those, with the same numbers as without extensions.
 *
 * <p>A run of fewer than {@value #MIN_EPOCHS} epochs (a smoke test, a demonstration) trains exactly its epochs: its
 * last quarter is one epoch against the two or three before it, too few to tell a plateau from a step. The length
 * is a function of the recorded epochs alone, so a run interrupted during a cycle resumes into it.
 */
public final class PlateauExtension {

    /** The fewest epochs a run is extended from. */
    public static final int MIN_EPOCHS = 4;

    private PlateauExtension() {
    }

    /** The epochs of one cycle for a run of {@code epochs}: ⌈E / 3⌉. */
    public static int cycle(int epochs) {
        return (epochs + 2) / 3;
    }

    /**
     * The epochs a run trains, given those recorded so far: {@code c.epochs()}, plus a cycle for each time the run
     * had finished its length so far and was still rising then, at most {@code c.extensions()} cycles (none below
     * {@value #MIN_EPOCHS} epochs).
     */
    public static int epochs(List<EpochRow> recorded, TrainConfig c) {
        int length = c.epochs();
        for (int k = 0; k < c.extensions() && length >= MIN_EPOCHS && recorded.size() >= length
                && !Convergence.of(recorded.subList(0, length), c.effectiveRecipe()).plateaued(); k++) {
            length += cycle(c.epochs());
        }
        return length;
    }
}
