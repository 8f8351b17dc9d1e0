package calfkit.data;

import java.io.IOException;
import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;

import calfkit.image.png.PngReader;

/**
 * A DJL dataset over slices of a {@link SliceIndex}: each record is the image, shape (1, H, W) with values
 * in [0, 1], as data, and its mask, (1, H, W) of 0/1, as label, so a trainer and CALF's per-batch
 * statistics see masks with their images.
 *
 * <p>Streaming: only the index is in memory; every {@link #get} decodes two PNGs. With DJL's
 * {@code optExecutor(executor, prefetch)} on the builder, batches are decoded on worker threads and
 * prefetched, so a 589,838-slice dataset trains in bounded memory. The boundary losses' signed distance
 * maps can come as a second label ({@link Builder#optDistanceMaps}). Augmentations ({@link Augment}) are off
 * unless set, and deterministic for (seed, epoch, slice).
 */
public final class SliceDataset extends RandomAccessDataset {

    private final SliceIndex index;
    private final List<Slice> slices;
    private final Augment augment;
    private final long seed;
    private volatile int epoch;
    private final ThreadLocal<PngReader> readers = ThreadLocal.withInitial(PngReader::new);
    private final boolean distanceMaps;
    private final java.util.Map<Slice, float[]> distanceCache;

    private SliceDataset(Builder b) {
        super(b);
        this.index = b.index;
        this.slices = List.copyOf(b.slices);
        this.augment = b.augment;
        this.seed = b.seed;
        this.distanceMaps = b.distanceMaps;
        int cap = b.distanceCacheSize;
        this.distanceCache = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<Slice, float[]> eldest) {
                return size() > cap;
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The slices, in dataset order. */
    public List<Slice> slices() {
        return slices;
    }

    /** The epoch whose augmentation (and {@link EpochSampler} order) the next records use. */
    public int epoch() {
        return epoch;
    }

    /** Sets the epoch whose augmentation draws the next records use. */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    @Override
    public Record get(NDManager manager, long i) throws IOException {
        Slice s = slices.get(Math.toIntExact(i));
        float[][] pair = load(s);
        Shape shape = new Shape(1, s.height(), s.width());
        NDList labels = new NDList(manager.create(pair[1], shape));
        if (distanceMaps) {
            float[] phi = augment.isNone() ? distanceCache.computeIfAbsent(s,
                    k -> calfkit.image.DistanceMaps.signed(pair[1], s.width(), s.height()))
                    : calfkit.image.DistanceMaps.signed(pair[1], s.width(), s.height()); // augmented masks differ each epoch
            labels.add(manager.create(phi, shape));
        }
        return new Record(new NDList(manager.create(pair[0], shape)), labels);
    }

    /** The image (values in [0, 1]) and the mask (0/1) of a slice, augmented if the dataset augments. */
    public float[][] load(Slice s) throws IOException {
        PngReader reader = readers.get();
        byte[] gray = reader.readGray8(index.imagePath(s));
        int w = reader.width();
        int h = reader.height();
        byte[] bits = reader.read(index.maskPath(s));
        if (reader.width() != w || reader.height() != h || w != s.width() || h != s.height()) {
            throw new IOException(index.maskPath(s) + ": mask is " + reader.width() + "x" + reader.height()
                    + ", its image " + w + "x" + h + ", the index says " + s.width() + "x" + s.height());
        }
        float[] image = new float[w * h];
        float[] mask = new float[w * h];
        long area = 0;
        for (int k = 0; k < image.length; k++) {
            image[k] = (gray[k] & 0xff) / 255f;
            mask[k] = bits[k];
            area += bits[k];
        }
        if (area != s.area()) {
            // The CALF branch and the ratio sampler were decided from the index's areas: a mask that disagrees
            // would make them wrong without a word.
            throw new IOException(index.maskPath(s) + ": the mask has " + area + " tumour pixels, the index "
                    + index.root().resolve(SliceIndex.FILE) + " says " + s.area() + "; rebuild the index (calf index "
                    + index.root() + ")");
        }
        if (!augment.isNone()) {
            long key = seed * 1_000_003L + (long) epoch * 7_919L + s.hashCode();
            augment.apply(image, mask, w, h, new Random(key));
        }
        return new float[][] {image, mask};
    }

    @Override
    protected long availableSize() {
        return slices.size();
    }

    @Override
    public void prepare(Progress progress) {
        // Nothing to download or unpack: the index is already read.
    }

    /** Builds a {@link SliceDataset}; also takes DJL's sampling, executor/prefetch and limit options. */
    public static final class Builder extends BaseBuilder<Builder> {
        private SliceIndex index;
        private List<Slice> slices;
        private Augment augment = Augment.NONE;
        private long seed = 12345;
        private boolean distanceMaps;
        private int distanceCacheSize = 4096;

        @Override
        protected Builder self() {
            return this;
        }

        /** The dataset's slices (for example a split's training side, after the tumour-ratio sampler). */
        public Builder slices(SliceIndex index, List<Slice> slices) {
            this.index = index;
            this.slices = slices;
            return this;
        }

        public Builder optAugment(Augment augment) {
            this.augment = augment;
            return this;
        }

        /**
         * Adds each mask's signed distance map ({@link calfkit.image.DistanceMaps}) as a second label, for the
         * boundary losses. Computed once per mask and kept in a bounded cache ({@code cacheSize} maps); with
         * augmentation on, the map of the augmented mask is computed each time.
         */
        public Builder optDistanceMaps(boolean on, int cacheSize) {
            this.distanceMaps = on;
            this.distanceCacheSize = cacheSize;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public SliceDataset build() {
            if (index == null || slices == null) {
                throw new IllegalStateException("SliceDataset needs slices(index, slices)");
            }
            if (slices.isEmpty()) {
                throw new IllegalArgumentException(index.root() + ": no slice to load (the selection is empty)");
            }
            return new SliceDataset(this);
        }
    }
}
