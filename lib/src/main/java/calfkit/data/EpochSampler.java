package calfkit.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;

/**
 * The order of a {@link SliceDataset}'s records in one epoch: a permutation of all of them, seeded by (seed, epoch),
 * of which the first {@code perEpoch} are drawn (all when {@code perEpoch} is 0 or larger than the dataset). An
 * epoch is then a fixed number of steps whatever the dataset's size, as nnU-Net's 250 iterations per epoch, and
 * successive epochs draw different slices, so a short run still sees the whole training sample. The drawn records
 * come in batches of {@code batch}; a last partial batch is dropped.
 *
 * <p>Deterministic for (seed, epoch), also when a run resumes and when several runs share the JVM: it keeps its own
 * generator instead of DJL's process-wide {@code RandomUtils}.
 */
public final class EpochSampler implements Sampler {

    private final long seed;
    private final int perEpoch;
    private final int batch;

    /**
     * @param seed     the run's training seed
     * @param perEpoch records drawn per epoch (0: all)
     * @param batch    records per batch
     */
    public EpochSampler(long seed, int perEpoch, int batch) {
        if (perEpoch < 0 || batch < 1) {
            throw new IllegalArgumentException("slices per epoch must be ≥ 0 (0: all) and the batch ≥ 1, got " + perEpoch
                    + " and " + batch);
        }
        this.seed = seed;
        this.perEpoch = perEpoch;
        this.batch = batch;
    }

    /** The batches of the dataset's current epoch ({@link SliceDataset#setEpoch}), in order. */
    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        int epoch = dataset instanceof SliceDataset s ? s.epoch() : 0;
        List<Long> drawn = order(Math.toIntExact(dataset.size()), epoch);
        List<List<Long>> batches = new ArrayList<>();
        for (int from = 0; from + batch <= drawn.size(); from += batch) {
            batches.add(drawn.subList(from, from + batch));
        }
        return batches.iterator();
    }

    @Override
    public int getBatchSize() {
        return batch;
    }

    /** The records drawn in an epoch, in order: a Fisher–Yates permutation of 0..n−1 cut to {@code perEpoch}. */
    public List<Long> order(int n, int epoch) {
        long[] idx = LongStream.range(0, n).toArray();
        Random r = new Random(seed * 1_000_003L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int k = perEpoch == 0 ? n : Math.min(perEpoch, n);
        return LongStream.of(idx).limit(k).boxed().toList();
    }

    /** Records per epoch for a dataset of {@code n} records. */
    public int perEpoch(int n) {
        return perEpoch == 0 ? n : Math.min(perEpoch, n);
    }
}
