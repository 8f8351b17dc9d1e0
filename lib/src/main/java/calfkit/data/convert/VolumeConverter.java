package calfkit.data.convert;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.image.nifti.NiftiVolume;
import calfkit.image.png.PngWriter;

/**
 * Converts 3D NIfTI volumes into the kit's 2D slice layout, as the paper did: axial slices (the volume's
 * third axis), labels binarised (any label &gt; 0 is tumour). By default ({@link ConvertOptions#kit}) intensities
 * are normalised to 8 bits per volume (linear between the 0.5th and 99.5th percentiles of the non-zero voxels,
 * clipped) and slices whose image is all zero (outside the head) are left out; {@link ConvertOptions#authors}
 * converts as the CALF authors did (several modalities, blank slices kept, per-slice min-max, 256 × 256).
 * Writes {@code OUT/CASE/images/NNNN.png} (with several modalities {@code OUT/CASE/images-MOD/NNNN.png}),
 * {@code OUT/CASE/masks/NNNN.png} and {@code OUT/index.csv}.
 */
public final class VolumeConverter {

    private VolumeConverter() {
    }

    /**
     * Converts every case of a dataset folder.
     *
     * @param skipBad report and leave out cases that cannot be read instead of stopping at the first
     * @param force   write into an existing non-empty output folder
     */
    public static SliceIndex convert(SourceLayout layout, Path in, Path out, String modality, boolean skipBad,
                                     boolean force, PrintStream report) throws IOException {
        return convert(layout, in, out, ConvertOptions.kit(modality), skipBad, force, report);
    }

    /** Converts every case of a dataset folder with the given options. */
    public static SliceIndex convert(SourceLayout layout, Path in, Path out, ConvertOptions options, boolean skipBad,
                                     boolean force, PrintStream report) throws IOException {
        if (Files.isDirectory(out) && !force) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(out + ": exists and is not empty; choose a new folder or pass --force "
                            + "(nothing was overwritten)");
                }
            }
        }
        List<String> problems = new ArrayList<>();
        List<String> modalities = options.modalities() == null ? List.of(layout.defaultModality()) : options.modalities();
        // case id → its image volume per modality (a case missing one modality is a problem of that case)
        Map<String, Map<String, SourceLayout.Case>> byCase = new LinkedHashMap<>();
        for (String mod : modalities) {
            for (SourceLayout.Case c : layout.cases(in, mod, skipBad ? problems : null)) {
                byCase.computeIfAbsent(c.id(), k -> new LinkedHashMap<>()).put(mod, c);
            }
        }
        problems.forEach(p -> report.println("skipped: " + p));
        // Written into a partial sibling folder and moved into place at the end, as a run folder is: a conversion that
        // fails on a later case leaves --out as it was, and a rerun needs no --force.
        Path target = out.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempDirectory(target.getParent(), target.getFileName() + ".partial-");
        try {
            SliceIndex done = convertInto(byCase, modalities, in, partial, options, skipBad, problems.size(), report);
            placeInto(partial, target);
            SliceIndex index = new SliceIndex(out, done.slices());
            index.write();
            return index;
        } finally {
            if (Files.exists(partial)) {
                calfkit.io.AtomicFiles.deleteTree(partial);
            }
        }
    }

    /**
     * Moves a finished conversion's folders into {@code out}: the whole folder when {@code out} is missing or empty;
     * with --force into a non-empty one, each patient folder in turn, replacing one of the same name.
     */
    private static void placeInto(Path partial, Path out) throws IOException {
        if (Files.isDirectory(out)) {
            boolean empty;
            try (Stream<Path> s = Files.list(out)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty) {
                List<Path> entries;
                try (Stream<Path> s = Files.list(partial)) {
                    entries = s.sorted().toList();
                }
                for (Path e : entries) {
                    Path there = out.resolve(e.getFileName().toString());
                    if (Files.isDirectory(there)) {
                        calfkit.io.AtomicFiles.deleteTree(there);
                    } else {
                        Files.deleteIfExists(there);
                    }
                    Files.move(e, there);
                }
                return;
            }
            Files.delete(out);
        }
        Files.move(partial, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static SliceIndex convertInto(Map<String, Map<String, SourceLayout.Case>> byCase, List<String> modalities,
                                          Path in, Path out, ConvertOptions options, boolean skipBad, int skippedBefore,
                                          PrintStream report) throws IOException {
        PngWriter writer = new PngWriter();
        List<Slice> slices = new ArrayList<>();
        int skipped = skippedBefore;
        for (Map.Entry<String, Map<String, SourceLayout.Case>> entry : byCase.entrySet()) {
            if (entry.getValue().size() != modalities.size()) {
                continue; // reported above as a problem of its missing modality
            }
            try {
                boolean first = true;
                for (Map.Entry<String, SourceLayout.Case> m : entry.getValue().entrySet()) {
                    slices.addAll(convertCase(m.getValue(), modalities.size() > 1 ? m.getKey() : null, first, out,
                            writer, options));
                    first = false;
                }
                report.printf("%s: %s%n", entry.getKey(), "converted");
            } catch (IOException e) {
                if (!skipBad) {
                    throw e;
                }
                skipped++;
                report.println("skipped: " + e.getMessage());
            }
        }
        if (slices.isEmpty()) {
            throw new IOException(in + ": no slice converted" + (skipped > 0 ? " (" + skipped + " case(s) skipped)" : ""));
        }
        return new SliceIndex(out, slices);
    }

    static List<Slice> convertCase(SourceLayout.Case c, Path out, PngWriter writer) throws IOException {
        return convertCase(c, null, true, out, writer, ConvertOptions.kit(null));
    }

    /**
     * One case's volume as slices; {@code modality} non-null names the image folder ({@code images-MOD}) of one
     * modality among several, which share the case's masks, written with the first ({@code writeMasks}).
     */
    static List<Slice> convertCase(SourceLayout.Case c, String modality, boolean writeMasks, Path out, PngWriter writer,
                                   ConvertOptions options) throws IOException {
        NiftiVolume image = NiftiVolume.read(c.image());
        NiftiVolume label = NiftiVolume.read(c.label());
        requireOneVolume(image);
        requireOneVolume(label);
        for (int axis = 0; axis < 3; axis++) {
            if (image.size(axis) != label.size(axis)) {
                throw new IOException(c.label() + ": label volume is " + shape(label) + " but its image " + c.image()
                        + " is " + shape(image));
            }
        }
        int nx = image.size(0);
        int ny = image.size(1);
        int nz = image.size(2);
        requireFinite(image, nx * ny * nz);
        requireFinite(label, nx * ny * nz);
        float[] range = percentiles(image.data(), nx * ny * nz);
        double[] volumeMinMax = minMax(image.data(), nx * ny * nz);
        String imageFolder = modality == null ? "images" : Slice.MODALITY_FOLDER + modality;
        Path images = Files.createDirectories(out.resolve(c.id()).resolve(imageFolder));
        Path masks = Files.createDirectories(out.resolve(c.id()).resolve("masks"));
        int side = options.size();
        // Width and height of a slice as written before any resize: x across, or, transposed, the volume's y across.
        int sw = options.transpose() ? ny : nx;
        int sh = options.transpose() ? nx : ny;
        int ow = side > 0 ? side : sw;
        int oh = side > 0 ? side : sh;
        List<Slice> slices = new ArrayList<>();
        for (int z = 0; z < nz; z++) {
            float[] img = image.axialSlice(z);
            float[] lab = label.axialSlice(z);
            byte[] gray = new byte[nx * ny];
            byte[] mask = new byte[nx * ny];
            boolean any = false;
            for (float v : img) {
                any |= v != 0;
            }
            if (!any && !options.keepBlank()) {
                continue;
            }
            double[] mm = options.intensity() == ConvertOptions.Intensity.SLICE_MIN_MAX ? minMax(img, img.length) : volumeMinMax;
            for (int i = 0; i < gray.length; i++) {
                gray[i] = switch (options.intensity()) {
                    case VOLUME_PERCENTILES -> percentileGrey(img[i], range);
                    case SLICE_MIN_MAX, VOLUME_MIN_MAX -> minMaxGrey(img[i], mm);
                };
                mask[i] = (byte) (lab[i] > 0 ? 1 : 0);
            }
            if (options.transpose()) {
                gray = transposed(gray, nx, ny);
                mask = transposed(mask, nx, ny);
            }
            if (side > 0) {
                gray = PilBilinear.resize(gray, sw, sh, ow, oh);
                byte[] m255 = new byte[mask.length];
                for (int i = 0; i < mask.length; i++) {
                    m255[i] = (byte) (mask[i] != 0 ? 255 : 0);
                }
                byte[] resized = PilBilinear.resize(m255, sw, sh, ow, oh);
                mask = new byte[ow * oh];
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = (byte) (resized[i] != 0 ? 1 : 0); // the authors' loader: mask > 0 after the resize
                }
            }
            long area = 0;
            for (byte b : mask) {
                area += b;
            }
            String name = String.format("%04d.png", z);
            writer.write(images.resolve(name), gray, ow, oh);
            if (writeMasks) { // several modalities share one mask per slice
                writer.writeMask(masks.resolve(name), mask, ow, oh);
            }
            slices.add(new Slice(c.id(), z, c.id() + "/" + imageFolder + "/" + name, c.id() + "/masks/" + name, area,
                    ow, oh));
        }
        return slices;
    }

    /** A row-major {@code w × h} slice (x across) as numpy's {@code data[:, :, k]}: {@code h} across, {@code w} rows. */
    static byte[] transposed(byte[] a, int w, int h) {
        byte[] t = new byte[a.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                t[x * h + y] = a[y * w + x];
            }
        }
        return t;
    }

    private static byte percentileGrey(float v, float[] range) {
        float scaled = range[1] > range[0] ? (v - range[0]) / (range[1] - range[0]) * 255f : (v > 0 ? 255 : 0);
        return (byte) Math.max(0, Math.min(255, Math.round(scaled)));
    }

    /**
     * OpenCV's {@code normalize(x, None, 0, 255, NORM_MINMAX)} on float64 data, then numpy's {@code astype(uint8)}:
     * v · s + t with s = 255 / (max − min) (0 when max − min ≤ DBL_EPSILON) and t = −min · s, truncated. The
     * product and the sum are rounded once, as OpenCV's vectorised conversion does them (a fused multiply-add): the
     * maximum then gives 255, where rounding twice can give 254.99999999999997 and so 254.
     */
    static byte minMaxGrey(float v, double[] minMax) {
        double range = minMax[1] - minMax[0];
        double scale = range > Math.ulp(1.0) ? 255.0 / range : 0.0;
        double shift = -minMax[0] * scale;
        double g = Math.fma(v, scale, shift);
        return (byte) (int) Math.max(0, Math.min(255, g));
    }

    /**
     * Refuses a NIfTI image that holds more than one 3-D volume (a 4-D series: time points, diffusion directions,
     * or modalities stacked along dim[4]): converting its first volume alone would drop the rest unsaid.
     */
    static void requireOneVolume(NiftiVolume v) throws IOException {
        long volumes = 1;
        for (int axis = 3; axis < v.dims().length; axis++) {
            volumes *= v.dims()[axis];
        }
        if (volumes > 1) {
            throw new IOException(v.file() + ": dimensions " + java.util.Arrays.toString(v.dims()) + " hold " + volumes
                    + " 3-D volumes; expected one (split the series first, e.g. fslsplit or nibabel's four_to_three, "
                    + "and convert the volume you mean)");
        }
    }

    /**
     * Refuses a volume with NaN or infinite voxels among its first {@code n}: no intensity rule maps them to a grey
     * level that means anything (min-max and percentiles would give two grey values or black), so the converter
     * names the file and the count instead of guessing.
     */
    static void requireFinite(NiftiVolume v, int n) throws IOException {
        long bad = 0;
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(v.data()[i])) {
                bad++;
            }
        }
        if (bad > 0) {
            throw new IOException(v.file() + ": " + bad + " of " + n + " voxels are NaN or infinite; expected finite "
                    + "intensities (replace them first, e.g. nibabel + numpy.nan_to_num, or leave the case out with --skip-bad)");
        }
    }

    static double[] minMax(float[] data, int n) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, data[i]);
            max = Math.max(max, data[i]);
        }
        return n == 0 ? new double[] {0, 0} : new double[] {min, max};
    }

    /** The 0.5th and 99.5th percentiles of the non-zero values among the first n. */
    static float[] percentiles(float[] data, int n) {
        float[] nz = new float[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (data[i] != 0) {
                nz[k++] = data[i];
            }
        }
        if (k == 0) {
            return new float[] {0, 0};
        }
        float[] sorted = Arrays.copyOf(nz, k);
        Arrays.sort(sorted);
        return new float[] {sorted[(int) Math.floor(0.005 * (k - 1))], sorted[(int) Math.ceil(0.995 * (k - 1))]};
    }

    private static String shape(NiftiVolume v) {
        return v.size(0) + "x" + v.size(1) + "x" + v.size(2);
    }
}
