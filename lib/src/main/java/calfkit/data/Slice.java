package calfkit.data;

/**
 * One 2D slice of the kit's dataset layout: a patient's image PNG and its binary mask PNG, with the mask's
 * foreground area (pixels) measured once when the index was written.
 *
 * @param image path of the image PNG, relative to the dataset root
 * @param mask  path of the mask PNG, relative to the dataset root
 */
public record Slice(String patient, int slice, String image, String mask, long area, int width, int height) {

    /** The image folder of one modality among several, as {@code calf convert --modality A,B} names it. */
    public static final String MODALITY_FOLDER = "images-";

    /**
     * The scan type of an image path: {@code MOD} for an image in a {@code images-MOD} folder, where {@code calf
     * convert} writes each of several modalities (their masks shared); "" for a dataset of one modality.
     */
    public static String modalityOf(String imagePath) {
        String p = imagePath.replace('\\', '/');
        int end = p.lastIndexOf('/');
        int start = p.lastIndexOf('/', end - 1) + 1;
        String folder = end < 0 ? "" : p.substring(start, end);
        return folder.startsWith(MODALITY_FOLDER) ? folder.substring(MODALITY_FOLDER.length()) : "";
    }

    /** This slice's scan type ({@link #modalityOf}). */
    public String modality() {
        return modalityOf(image);
    }

    /** True when the mask has foreground (a tumour slice). */
    public boolean tumour() {
        return area > 0;
    }
}
