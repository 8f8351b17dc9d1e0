package calfkit.train;

import calfkit.data.SliceIndex;

/**
 * The dataset a run trains on, as config.json records it: the folder it was read from (for people) and a
 * fingerprint of its index with the slice count (what a resume must match; the folder may move).
 */
public record DatasetRecord(String folder, String index, int slices) {

    public static DatasetRecord of(SliceIndex data) {
        return new DatasetRecord(data.root().toAbsolutePath().normalize().toString(), data.fingerprint(),
                data.slices().size());
    }

    /** Whether two records name the same data (the folder aside). */
    public boolean sameData(DatasetRecord o) {
        return index.equals(o.index) && slices == o.slices;
    }

    @Override
    public String toString() {
        return folder + " (index " + index + ", " + slices + " slices)";
    }
}
