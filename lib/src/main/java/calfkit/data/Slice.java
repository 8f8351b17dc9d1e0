package calfkit.data;

/**
 * One 2D slice of the kit's dataset layout: a patient's image PNG and its binary mask PNG, with the mask's
 * foreground area (pixels) measured once when the index was written.
 *
 * @param image path of the image PNG, relative to the dataset root
 * @param mask  path of the mask PNG, relative to the dataset root
 */
public record Slice(String patient, int slice, String image, String mask, long area, int width, int height) {

    /** True when the mask has foreground (a tumour slice). */
    public boolean tumour() {
        return area > 0;
    }
}
