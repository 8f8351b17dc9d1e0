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
 * come in batches of {@code batch}; a last partial batch is dropped, or kept when asked (PyTorch's {@code DataLoader}
 * keeps it unless {@code drop_last}: the CALF authors' loader does), only in plain, unstratified order.
 *
 * <p>Stratified (the kit's recipe): the drawn records keep their number of tumour slices, but these are dealt
 * evenly over the epoch's batches (one by one, as cards) and the batches are then shuffled, so that each batch holds
 * ⌊t/b⌋ or ⌈t/b⌉ of the epoch's t tumour slices instead of a binomial draw. At tumour ratio 0.1 and batch 8 a plain
 * shuffle leaves 0.9⁸ ≈ 43 % of the batches without any tumour, on which an overlap loss (Dice, IoU, Tversky
 * summed over the batch) can only push every prediction to zero; stratified, about 20 % are (those that a ratio
 * of 0.1 cannot fill). The training sample and its ratio, the paper's variable, are unchanged: as MONAI's
 * positive/negative crop sampling or nnU-Net's foreground oversampling, it acts on the batches, but without changing
 * the proportion.
 *
 * <p>Deterministic for (seed, epoch), also when a run resumes and when several runs share the JVM: it keeps its own
 * generator instead of DJL's process-wide {@code RandomUtils}.
 */
public final class EpochSampler implements Sampler {

    private final long seed;
    private final int perEpoch;
    private final int batch;
    private final boolean stratified;
    private final boolean keepLast;

    /** A plain (not stratified) sampler. */
    public EpochSampler(long seed, int perEpoch, int batch) {
        this(seed, perEpoch, batch, false);
    }

    /**
     * @param seed     the run's training seed
     * @param perEpoch records drawn per epoch (0: all)
     * @param batch    records per batch
     * @param stratified whether a {@link SliceDataset}'s tumour slices are spread evenly over the batches
     */
    public EpochSampler(long seed, int perEpoch, int batch, boolean stratified) {
        this(seed, perEpoch, batch, stratified, false);
    }

    /**
     * @param keepLast whether the epoch's last partial batch is kept (plain order only: stratified batches are
     *                 whole)
     * @throws IllegalArgumentException when a partial batch is to be kept in stratified order
     */
    public EpochSampler(long seed, int perEpoch, int batch, boolean stratified, boolean keepLast) {
        if (stratified && keepLast) {
            throw new IllegalArgumentException("stratified batches are whole: a last partial batch cannot be kept");
        }
        if (perEpoch < 0 || batch < 1) {
            throw new IllegalArgumentException("slices per epoch must be ≥ 0 (0: all) and the batch ≥ 1, got " + perEpoch
                    + " and " + batch);
        }
        this.seed = seed;
        this.perEpoch = perEpoch;
        this.batch = batch;
        this.stratified = stratified;
        this.keepLast = keepLast;
    }

    /** The batches of the dataset's current epoch ({@link SliceDataset#setEpoch}), in order. */
    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        int epoch = dataset instanceof SliceDataset s ? s.epoch() : 0;
        List<Long> drawn = order(Math.toIntExact(dataset.size()), epoch);
        if (dataset instanceof SliceDataset s) {
            return batches(drawn, i -> s.slices().get(Math.toIntExact(i)).area() > 0, epoch).iterator();
        }
        return inOrder(drawn).iterator();
    }

    /**
     * An epoch's drawn records ({@link #order}) in its batches: stratified ({@link #stratify}) or in the drawn order,
     * the last partial batch kept or dropped as this sampler was made.
     */
    public List<List<Long>> batches(List<Long> drawn, java.util.function.LongPredicate tumour, int epoch) {
        return stratified ? stratify(drawn, tumour, epoch) : inOrder(drawn);
    }

    private List<List<Long>> inOrder(List<Long> drawn) {
        List<List<Long>> batches = new ArrayList<>();
        for (int from = 0; from < drawn.size() && (keepLast || from + batch <= drawn.size()); from += batch) {
            batches.add(drawn.subList(from, Math.min(drawn.size(), from + batch)));
        }
        return batches;
    }

    /**
     * The drawn records (cut to whole batches) in batches with their tumour records dealt evenly: tumour records
     * one per batch in turn, then the others filling each batch, then the batches in a seeded random order.
     */
    public List<List<Long>> stratify(List<Long> drawn, java.util.function.LongPredicate tumour, int epoch) {
        int batches = drawn.size() / batch;
        List<Long> kept = drawn.subList(0, batches * batch);
        List<List<Long>> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            out.add(new ArrayList<>(batch));
        }
        int next = 0;
        List<Long> others = new ArrayList<>();
        for (long i : kept) {
            if (tumour.test(i)) {
                out.get(next++ % batches).add(i);
            } else {
                others.add(i);
            }
        }
        int from = 0;
        for (List<Long> b : out) {
            int need = batch - b.size();
            b.addAll(others.subList(from, from + need));
            from += need;
        }
        java.util.Collections.shuffle(out, new Random(seed * 1_000_003L + epoch + 0x5eedL));
        return out;
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

    /** Batches (training steps) per epoch for a dataset of {@code n} records. */
    public int steps(int n) {
        int k = perEpoch(n);
        return keepLast ? (k + batch - 1) / batch : k / batch;
    }

    /** Records per epoch for a dataset of {@code n} records. */
    public int perEpoch(int n) {
        return perEpoch == 0 ? n : Math.min(perEpoch, n);
    }
}
