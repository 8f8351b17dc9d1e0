package calfkit.data.convert;

import java.util.List;
import java.util.Locale;

/**
 * How {@link VolumeConverter} turns volumes into slices. Two presets:
 * <ul>
 *   <li>{@link #kit(String)} (the default): one modality, slices whose image is all zero left out, native size,
 *       8 bits per volume between the 0.5th and 99.5th percentiles of the non-zero voxels (robust to a few hot
 *       voxels, and one scan's slices stay comparable).</li>
 *   <li>{@link #authors(SourceLayout)}: close to the CALF authors' preprocessing and loader
 *       ({@code datasets_preprocessing/*}, {@code scripts/dataset_loader.py}): each modality a sample of its own
 *       with the same mask, blank slices kept, 8 bits by OpenCV's {@code NORM_MINMAX} per slice truncated to
 *       integers, then image and mask resized to 256 × 256 as Pillow's bilinear ({@link PilBilinear}) and the mask
 *       thresholded at &gt; 0, which grows small masks. Where it differs from their code: their UPENN-GBM notebook
 *       ({@code UPENN/NifTi_to_png.ipynb}) converts FLAIR only (T1 and T2 beside it are inferred from their slice
 *       counts), scales each volume with {@code NORM_MINMAX} and then saves each slice with {@code plt.imsave},
 *       which stretches it to its own minimum and maximum again (per slice in effect, quantised twice; the kit
 *       quantises once), and takes the {@code automated_segm} masks (the kit takes the manual {@code images_segm}
 *       ones where a case has them). Their slices are {@code data[:, :, k]}, the transpose of the kit's: the preset
 *       writes them so ({@code transpose}). Their
 *       BraTS files carry the 2023 names ({@code -t1c}, {@code -t2w}, {@code -t2f}), which the kit reads beside the
 *       2020/2021 ones ({@code SourceLayout#BRATS_2023_NAMES}); with several modalities each slice's scan type is
 *       its image folder ({@code images-MOD}), and evaluation reports the metrics of each.</li>
 * </ul>
 *
 * @param modalities the modalities to slice, each a separate sample (null: the layout's default one)
 * @param keepBlank  keep slices whose image is all zero
 * @param size       the side slices are resized to (0: native size)
 * @param intensity  how intensities become 8 bits
 * @param transpose  write each slice as numpy's {@code data[:, :, k]} of the volume, rows along its first axis (the
 *                   authors' notebooks, through {@code cv2.imwrite} or {@code plt.imsave}); else rows along its
 *                   second axis, x across (the kit's, as viewers show an axial slice)
 */
public record ConvertOptions(List<String> modalities, boolean keepBlank, int size, Intensity intensity, boolean transpose) {

    /** Options with the kit's slice orientation. */
    public ConvertOptions(List<String> modalities, boolean keepBlank, int size, Intensity intensity) {
        this(modalities, keepBlank, size, intensity, false);
    }

    /** How a volume's intensities become 8-bit grey levels. */
    public enum Intensity {
        /** Linear between the volume's 0.5th and 99.5th percentiles of its non-zero voxels, rounded, clipped. */
        VOLUME_PERCENTILES,
        /** OpenCV's {@code NORM_MINMAX} to 0–255 over each slice, truncated to integers (the authors' BraTS, UCSF, LGG). */
        SLICE_MIN_MAX,
        /** OpenCV's {@code NORM_MINMAX} to 0–255 over the volume, truncated (the first step of the authors' UPENN-GBM). */
        VOLUME_MIN_MAX;

        /** The command-line name ("volume-percentiles", "slice-min-max", "volume-min-max"). */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** @throws IllegalArgumentException naming the value and the valid ones */
        public static Intensity parse(String name) {
            for (Intensity i : values()) {
                if (i.label().equals(name)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("--intensity expects volume-percentiles, slice-min-max or volume-min-max, got '"
                    + name + "'");
        }
    }

    public ConvertOptions {
        modalities = modalities == null ? null : List.copyOf(modalities);
        if (size < 0) {
            throw new IllegalArgumentException("--size expects a side in pixels (0: native), got " + size);
        }
        if (modalities != null && modalities.isEmpty()) {
            throw new IllegalArgumentException("--modality expects at least one modality");
        }
    }

    /** The kit's conversion of one modality (null: the layout's default). */
    public static ConvertOptions kit(String modality) {
        return new ConvertOptions(modality == null ? null : List.of(modality), false, 0, Intensity.VOLUME_PERCENTILES);
    }

    /**
     * Close to the authors' conversion of a dataset: the modalities their data imply (BraTS: T1 with contrast, T2,
     * FLAIR; UCSF-PDGM: T1, T2, FLAIR; UPENN-GBM: T1, T2, FLAIR, of which their notebook converts FLAIR, the others
     * inferred from their slice counts; LGG: T2), blank slices kept, 256 × 256, their slice orientation
     * ({@code data[:, :, k]}), per-slice min-max (UPENN-GBM's
     * per-volume scaling is re-stretched per slice by their {@code plt.imsave}); the differences: the class comment.
     */
    public static ConvertOptions authors(SourceLayout layout) {
        return switch (layout) {
            case BRATS -> new ConvertOptions(List.of("t1ce", "t2", "flair"), true, 256, Intensity.SLICE_MIN_MAX, true);
            case UCSF_PDGM -> new ConvertOptions(List.of("T1", "T2", "FLAIR"), true, 256, Intensity.SLICE_MIN_MAX, true);
            case UPENN_GBM -> new ConvertOptions(List.of("T1", "T2", "FLAIR"), true, 256, Intensity.SLICE_MIN_MAX, true);
            case LGG -> new ConvertOptions(List.of("T2"), true, 256, Intensity.SLICE_MIN_MAX, true);
        };
    }
}
