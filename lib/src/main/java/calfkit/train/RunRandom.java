package calfkit.train;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;

/**
 * A run's draws from PyTorch's random generator, kept the run's own when several runs train at once in one JVM
 * ({@code calfkit.experiments.Experiments}). PyTorch has one generator per process, and DJL draws from it for
 * the initial weights and for every Dropout mask; two runs drawing in turn would each get the other's numbers,
 * and a run's result would depend on what ran beside it. So each drawing stretch of a run (building and
 * initialising its model; each training step's forward pass; each BatchNorm re-estimation, where Dropout stays
 * active) holds one process-wide lock and first seeds the generator from the run's seed and its position in the
 * run ({@link #seedOf}). A run then draws the same numbers alone ({@code calf train}) as beside others. A model
 * without Dropout draws nothing after its initialisation: its forward passes and re-estimations take no lock and
 * run side by side.
 */
public final class RunRandom {

    private static final ReentrantLock GENERATOR = new ReentrantLock();

    private final long seed;
    private final boolean dropout;

    /**
     * @param seed  the run's training seed
     * @param model the run's model (whether any of its blocks is a Dropout)
     */
    public RunRandom(long seed, Block model) {
        this.seed = seed;
        this.dropout = hasDropout(model);
    }

    /**
     * Runs {@code work}, a stretch that may draw Dropout masks (forward passes in training mode), at {@code position}
     * of this run: when the model has Dropout, with the generator seeded for that position, alone among the runs;
     * when it has none, as it is (nothing is drawn, no lock is taken).
     */
    public <T> T masks(long position, Supplier<T> work) {
        return dropout ? locked(seedOf(seed, position), work) : work.get();
    }

    /** Runs {@code work} (a model's creation and initialisation) with the generator seeded with {@code seed}. */
    public static <T> T initialise(long seed, Supplier<T> work) {
        return locked((int) seed, work);
    }

    /** Whether the calling thread holds the generator now (inside a {@link #masks} or {@link #initialise}). */
    static boolean heldByThisThread() {
        return GENERATOR.isHeldByCurrentThread();
    }

    private static <T> T locked(int generatorSeed, Supplier<T> work) {
        GENERATOR.lock();
        try {
            Engine.getInstance().setRandomSeed(generatorSeed);
            return work.get();
        } finally {
            GENERATOR.unlock();
        }
    }

    /**
     * The generator's seed at {@code position} of a run with training seed {@code seed} (the training step, counted
     * over the whole run, or a BatchNorm re-estimation's place): SplitMix64's finaliser of the two, so that
     * neighbouring seeds and positions give unrelated streams.
     */
    static int seedOf(long seed, long position) {
        long z = seed * 0x9E3779B97F4A7C15L + position;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) ((z ^ (z >>> 31)) & 0x7FFFFFFF);
    }

    private static boolean hasDropout(Block block) {
        if (block instanceof Dropout) {
            return true;
        }
        return block.getChildren().values().stream().anyMatch(RunRandom::hasDropout);
    }
}
