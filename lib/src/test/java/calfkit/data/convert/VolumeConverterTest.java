package calfkit.data.convert;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.testing.PythonReference;

/** Conversion of small volumes laid out in each dataset's convention, written by nibabel. */
@Tag("reference")
class VolumeConverterTest {

    @TempDir
    Path dir;

    private static final int[] SHAPE = {12, 10, 6};

    /** Writes image and label files at the given relative paths; returns the label's per-slice areas. */
    private int[] write(Path in, String image, String label) {
        JsonArray cases = new JsonArray();
        JsonObject img = new JsonObject();
        img.addProperty("id", "image");
        img.addProperty("path", in.resolve(image).toString());
        img.add("shape", new Gson().toJsonTree(SHAPE));
        img.addProperty("dtype", "int16");
        img.addProperty("kind", "image");
        JsonObject lab = new JsonObject();
        lab.addProperty("id", "label");
        lab.addProperty("path", in.resolve(label).toString());
        lab.add("shape", new Gson().toJsonTree(SHAPE));
        lab.addProperty("dtype", "uint8");
        lab.addProperty("kind", "label");
        cases.add(img);
        cases.add(lab);
        JsonObject request = new JsonObject();
        request.add("write_nifti", cases);
        try {
            Files.createDirectories(in.resolve(image).getParent());
            Files.createDirectories(in.resolve(label).getParent());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Gson().fromJson(PythonReference.run(request).getAsJsonObject("label").get("slice_areas"), int[].class);
    }

    private void check(SourceLayout layout, Path in, String patient, int[] areas, String modality) throws IOException {
        Path out = dir.resolve("out-" + layout.cliName() + "-" + modality);
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        SliceIndex index = VolumeConverter.convert(layout, in, out, modality, false, false,
                new PrintStream(report, true, StandardCharsets.UTF_8));
        List<Slice> slices = index.slices();
        // Slice 0 of the image is all zero (outside the head): left out.
        assertEquals(SHAPE[2] - 1, slices.size());
        for (Slice s : slices) {
            assertEquals(patient, s.patient());
            assertEquals(areas[s.slice()], s.area(), "slice " + s.slice());
            assertEquals(SHAPE[0], s.width());
            assertEquals(SHAPE[1], s.height());
        }
        assertEquals(index.slices(), SliceIndex.read(out).slices());
        assertEquals(index.slices(), SliceIndex.build(out, false, System.out).slices());
        IOException again = assertThrows(IOException.class,
                () -> VolumeConverter.convert(layout, in, out, modality, false, false, System.out));
        assertTrue(again.getMessage().contains("exists and is not empty"), again.getMessage());
    }

    /** A volume in memory: float32 voxels, unit spacing (NIfTI datatype 16). */
    private static calfkit.image.nifti.NiftiVolume volume(String file, float[] data, long... dims) {
        double[] spacing = new double[dims.length];
        java.util.Arrays.fill(spacing, 1);
        return new calfkit.image.nifti.NiftiVolume(Path.of(file), dims, spacing, 16, data);
    }

    @Test
    void brats() throws IOException {
        Path in = dir.resolve("brats");
        int[] areas = write(in, "BraTS2021_00001/BraTS2021_00001_flair.nii.gz", "BraTS2021_00001/BraTS2021_00001_seg.nii.gz");
        check(SourceLayout.BRATS, in, "BraTS2021_00001", areas, null);
    }

    /** BraTS 2023's names (the CALF authors' BraTS files): CASE-t2f for FLAIR, CASE-seg for the labels. */
    @Test
    void brats2023() throws IOException {
        Path in = dir.resolve("brats2023");
        int[] areas = write(in, "BraTS-GLI-00000-000/BraTS-GLI-00000-000-t2f.nii.gz",
                "BraTS-GLI-00000-000/BraTS-GLI-00000-000-seg.nii.gz");
        check(SourceLayout.BRATS, in, "BraTS-GLI-00000-000", areas, null);
        check(SourceLayout.BRATS, in, "BraTS-GLI-00000-000", areas, "t2f");
    }

    @Test
    void upennGbm() throws IOException {
        Path in = dir.resolve("upenn");
        int[] areas = write(in, "images_structural/UPENN-GBM-00002_11/UPENN-GBM-00002_11_FLAIR.nii.gz",
                "images_segm/UPENN-GBM-00002_11_segm.nii.gz");
        check(SourceLayout.UPENN_GBM, in, "UPENN-GBM-00002_11", areas, null);
    }

    @Test
    void ucsfPdgm() throws IOException {
        Path in = dir.resolve("ucsf");
        int[] areas = write(in, "UCSF-PDGM-0004_nifti/UCSF-PDGM-0004_T2.nii.gz",
                "UCSF-PDGM-0004_nifti/UCSF-PDGM-0004_tumor_segmentation.nii.gz");
        check(SourceLayout.UCSF_PDGM, in, "UCSF-PDGM-0004", areas, "t2");
    }

    @Test
    void lgg() throws IOException {
        Path in = dir.resolve("lgg");
        int[] areas = write(in, "LGG-104/LGG-104_T2.nii", "LGG-104/LGG-104_Segmentation.nii.gz");
        check(SourceLayout.LGG, in, "LGG-104", areas, null);
    }

    /**
     * The authors' conversion: two modalities as samples of their own sharing one mask, the blank slice kept,
     * per-slice min-max as OpenCV, resized as Pillow with the mask thresholded at &gt; 0; every pixel against
     * OpenCV and Pillow in the reference helper.
     */
    @Test
    void theAuthorsConversionMatchesOpenCvAndPillow() throws IOException {
        Path in = dir.resolve("brats-authors");
        write(in, "B1/B1_flair.nii.gz", "B1/B1_seg.nii.gz");
        write(in, "B1/B1_t2.nii.gz", "B1/B1_seg.nii.gz");
        Path out = dir.resolve("out-authors");
        ConvertOptions options = new ConvertOptions(List.of("t2", "flair"), true, 16, ConvertOptions.Intensity.SLICE_MIN_MAX);
        SliceIndex index = VolumeConverter.convert(SourceLayout.BRATS, in, out, options, false, false,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(2 * SHAPE[2], index.slices().size(), "both modalities, the blank slice kept");
        var label = calfkit.image.nifti.NiftiVolume.read(in.resolve("B1/B1_seg.nii.gz"));
        var flair = calfkit.image.nifti.NiftiVolume.read(in.resolve("B1/B1_flair.nii.gz"));
        JsonArray minmax = new JsonArray();
        JsonArray resize = new JsonArray();
        for (int z = 0; z < SHAPE[2]; z++) {
            JsonObject m = new JsonObject();
            m.addProperty("id", "grey " + z);
            m.add("values", new Gson().toJsonTree(flair.axialSlice(z)));
            minmax.add(m);
            int[] mask = new int[SHAPE[0] * SHAPE[1]];
            float[] lab = label.axialSlice(z);
            for (int i = 0; i < mask.length; i++) {
                mask[i] = lab[i] > 0 ? 255 : 0;
            }
            resize.add(pil("mask " + z, mask));
        }
        JsonObject request = new JsonObject();
        request.add("cv_minmax", minmax);
        request.add("pil_resize", resize);
        JsonObject ref = PythonReference.run(request);
        JsonArray greys = new JsonArray();
        for (int z = 0; z < SHAPE[2]; z++) {
            greys.add(pil("grey " + z, new Gson().fromJson(ref.getAsJsonObject("grey " + z).get("pixels"), int[].class)));
        }
        JsonObject second = new JsonObject();
        second.add("pil_resize", greys);
        JsonObject resized = PythonReference.run(second);
        calfkit.image.png.PngReader reader = new calfkit.image.png.PngReader();
        for (Slice s : index.slices()) {
            assertEquals(16, s.width());
            assertEquals(16, s.height());
            assertEquals("B1/masks/" + String.format("%04d.png", s.slice()), s.mask(), "one mask for both modalities");
            int[] expectedMask = new Gson().fromJson(ref.getAsJsonObject("mask " + s.slice()).get("pixels"), int[].class);
            byte[] mask = reader.read(out.resolve(s.mask()));
            long area = 0;
            for (int i = 0; i < mask.length; i++) {
                assertEquals(expectedMask[i] > 0 ? 1 : 0, mask[i], s.mask() + " pixel " + i);
                area += mask[i];
            }
            assertEquals(area, s.area());
            if (s.image().contains("images-flair/")) {
                int[] expected = new Gson().fromJson(resized.getAsJsonObject("grey " + s.slice()).get("pixels"), int[].class);
                byte[] grey = reader.readGray8(out.resolve(s.image()));
                for (int i = 0; i < grey.length; i++) {
                    assertEquals(expected[i], grey[i] & 0xff, s.image() + " pixel " + i);
                }
            }
        }
    }

    /**
     * The authors' orientation: each slice written as their notebooks write {@code data[:, :, k]} (12 rows of the
     * volume's first axis, 10 across), pixel for pixel as nibabel, OpenCV's NORM_MINMAX and their mask rule give it.
     */
    @Test
    void theAuthorsOrientationIsTheirDataSliceAsOpenCvWritesIt() throws IOException {
        Path in = dir.resolve("brats-orientation");
        write(in, "B2/B2_flair.nii.gz", "B2/B2_seg.nii.gz");
        Path out = dir.resolve("out-orientation");
        SliceIndex index = VolumeConverter.convert(SourceLayout.BRATS, in, out,
                new ConvertOptions(null, true, 0, ConvertOptions.Intensity.SLICE_MIN_MAX, true), false, false,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        JsonArray cases = new JsonArray();
        for (String kind : List.of("image", "label")) {
            JsonObject c = new JsonObject();
            c.addProperty("id", kind);
            c.addProperty("kind", kind);
            c.addProperty("path", in.resolve(kind.equals("image") ? "B2/B2_flair.nii.gz" : "B2/B2_seg.nii.gz").toString());
            cases.add(c);
        }
        JsonObject request = new JsonObject();
        request.add("authors_slices", cases);
        JsonObject ref = PythonReference.run(request);
        calfkit.image.png.PngReader reader = new calfkit.image.png.PngReader();
        assertEquals(SHAPE[2], index.slices().size());
        for (Slice s : index.slices()) {
            JsonObject image = ref.getAsJsonArray("image").get(s.slice()).getAsJsonObject();
            JsonObject label = ref.getAsJsonArray("label").get(s.slice()).getAsJsonObject();
            assertEquals(SHAPE[0], image.get("rows").getAsInt());
            assertEquals(SHAPE[1], s.width(), "their columns run along the volume's second axis");
            assertEquals(SHAPE[0], s.height(), "their rows along its first");
            int[] grey = new Gson().fromJson(image.get("pixels"), int[].class);
            int[] mask = new Gson().fromJson(label.get("pixels"), int[].class);
            byte[] g = reader.readGray8(out.resolve(s.image()));
            byte[] m = reader.read(out.resolve(s.mask()));
            for (int i = 0; i < grey.length; i++) {
                assertEquals(grey[i], g[i] & 0xff, s.image() + " pixel " + i);
                assertEquals(mask[i] > 0 ? 1 : 0, m[i], s.mask() + " pixel " + i);
            }
        }
    }

    private static JsonObject pil(String id, int[] pixels) {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.add("pixels", new Gson().toJsonTree(pixels));
        o.addProperty("w", SHAPE[0]);
        o.addProperty("h", SHAPE[1]);
        o.addProperty("ow", 16);
        o.addProperty("oh", 16);
        return o;
    }

    @Test
    void missingFilesAndMismatchedVolumesAreNamed() throws IOException {
        Path in = dir.resolve("bad");
        write(in, "C1/C1_flair.nii.gz", "C1/C1_seg.nii.gz");
        Files.createDirectories(in.resolve("C2"));
        IOException missing = assertThrows(IOException.class,
                () -> VolumeConverter.convert(SourceLayout.BRATS, in, dir.resolve("o1"), (String) null, false, false, System.out));
        assertEquals(in.resolve("C2") + ": missing C2_flair.nii.gz (BraTS 2020/2021) or C2-t2f.nii.gz (BraTS 2023), or .nii",
                missing.getMessage());
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        IOException none = assertThrows(IOException.class, () -> SourceLayout.UPENN_GBM.cases(in, null));
        assertTrue(none.getMessage().contains("no images_structural/ folder"), none.getMessage());
        // With --skip-bad, C2 is reported and left out, C1 converted.
        SliceIndex index = VolumeConverter.convert(SourceLayout.BRATS, in, dir.resolve("o2"), (String) null, true, false,
                new PrintStream(report, true, StandardCharsets.UTF_8));
        assertEquals(List.of("C1"), index.patients());
        assertTrue(report.toString(StandardCharsets.UTF_8).contains("skipped: " + in.resolve("C2") + ": missing C2_flair"),
                report.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nanOrInfiniteVoxelsAreRefusedNamingTheFileAndTheCount() {
        float[] data = {1, Float.NaN, 3, Float.POSITIVE_INFINITY};
        calfkit.image.nifti.NiftiVolume v = volume("scan.nii.gz", data, 2, 2, 1);
        IOException e = assertThrows(IOException.class, () -> VolumeConverter.requireFinite(v, 4));
        assertTrue(e.getMessage().startsWith("scan.nii.gz: 2 of 4 voxels are NaN or infinite"), e.getMessage());
        assertDoesNotThrow(() -> VolumeConverter.requireFinite(v, 1));
    }

    @Test
    void aSeriesOfSeveralVolumesIsRefusedAndOneVolumeIsTaken() {
        calfkit.image.nifti.NiftiVolume series = volume("dwi.nii.gz", new float[12], 2, 2, 1, 3);
        IOException e = assertThrows(IOException.class, () -> VolumeConverter.requireOneVolume(series));
        assertTrue(e.getMessage().startsWith("dwi.nii.gz: dimensions [2, 2, 1, 3] hold 3 3-D volumes; expected one"),
                e.getMessage());
        assertDoesNotThrow(() -> VolumeConverter.requireOneVolume(volume("t1.nii", new float[4], 2, 2, 1, 1)),
                "a 4-D header with one volume is 3-D");
    }

    @Test
    void aConversionThatFailsOnALaterCaseLeavesOutAsItWas() throws IOException {
        Path in = dir.resolve("later");
        write(in, "C1/C1_flair.nii.gz", "C1/C1_seg.nii.gz");
        write(in, "C2/C2_flair.nii.gz", "C2/C2_seg.nii.gz");
        Path seg = in.resolve("C2/C2_seg.nii.gz");
        byte[] whole = Files.readAllBytes(seg);
        Files.write(seg, java.util.Arrays.copyOf(whole, whole.length / 2)); // a truncated download
        Path out = dir.resolve("converted");
        IOException e = assertThrows(IOException.class,
                () -> VolumeConverter.convert(SourceLayout.BRATS, in, out, (String) null, false, false, System.out));
        assertTrue(e.getMessage().startsWith(seg.toString()), e.getMessage());
        assertFalse(Files.exists(out), "no half dataset in --out");
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".partial-")), "the partial folder is removed");
        }
        // The rerun needs no --force (there is nothing of the failed run to overwrite).
        SliceIndex index = VolumeConverter.convert(SourceLayout.BRATS, in, out, (String) null, true, false,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(List.of("C1"), index.patients());
        assertEquals(index.fingerprint(), SliceIndex.read(out).fingerprint());
    }
}
