package calfkit.data.convert;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.image.nifti.NiftiVolume;
import calfkit.image.png.PngWriter;

/**
 * Converts 3D NIfTI volumes into the kit's 2D slice layout, as the paper did: axial slices (the volume's
 * third axis), intensities normalised to 8 bits per volume (linear between the 0.5th and 99.5th percentiles
 * of the non-zero voxels, clipped), labels binarised (any label &gt; 0 is tumour). Slices whose image is all
 * zero (outside the head) are left out. Writes {@code OUT/CASE/images/NNNN.png}, {@code OUT/CASE/masks/NNNN.png}
 * and {@code OUT/index.csv}.
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
        if (Files.isDirectory(out) && !force) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(out + ": exists and is not empty; choose a new folder or pass --force "
                            + "(nothing was overwritten)");
                }
            }
        }
        List<String> problems = new ArrayList<>();
        List<SourceLayout.Case> cases = layout.cases(in, modality, skipBad ? problems : null);
        problems.forEach(p -> report.println("skipped: " + p));
        Files.createDirectories(out);
        PngWriter writer = new PngWriter();
        List<Slice> slices = new ArrayList<>();
        int skipped = problems.size();
        for (SourceLayout.Case c : cases) {
            try {
                slices.addAll(convertCase(c, out, writer));
                report.printf("%s: %s%n", c.id(), "converted");
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
        SliceIndex index = new SliceIndex(out, slices);
        index.write();
        return index;
    }

    static List<Slice> convertCase(SourceLayout.Case c, Path out, PngWriter writer) throws IOException {
        NiftiVolume image = NiftiVolume.read(c.image());
        NiftiVolume label = NiftiVolume.read(c.label());
        for (int axis = 0; axis < 3; axis++) {
            if (image.size(axis) != label.size(axis)) {
                throw new IOException(c.label() + ": label volume is " + shape(label) + " but its image " + c.image()
                        + " is " + shape(image));
            }
        }
        int nx = image.size(0);
        int ny = image.size(1);
        int nz = image.size(2);
        float[] range = percentiles(image.data(), nx * ny * nz);
        Path images = Files.createDirectories(out.resolve(c.id()).resolve("images"));
        Path masks = Files.createDirectories(out.resolve(c.id()).resolve("masks"));
        List<Slice> slices = new ArrayList<>();
        for (int z = 0; z < nz; z++) {
            float[] img = image.axialSlice(z);
            float[] lab = label.axialSlice(z);
            byte[] gray = new byte[nx * ny];
            byte[] mask = new byte[nx * ny];
            boolean any = false;
            long area = 0;
            for (int i = 0; i < gray.length; i++) {
                float v = img[i];
                if (v != 0) {
                    any = true;
                }
                float scaled = range[1] > range[0] ? (v - range[0]) / (range[1] - range[0]) * 255f : (v > 0 ? 255 : 0);
                gray[i] = (byte) Math.max(0, Math.min(255, Math.round(scaled)));
                if (lab[i] > 0) {
                    mask[i] = 1;
                    area++;
                }
            }
            if (!any) {
                continue;
            }
            String name = String.format("%04d.png", z);
            writer.write(images.resolve(name), gray, nx, ny);
            writer.writeMask(masks.resolve(name), mask, nx, ny);
            slices.add(new Slice(c.id(), z, c.id() + "/images/" + name, c.id() + "/masks/" + name, area, nx, ny));
        }
        return slices;
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
