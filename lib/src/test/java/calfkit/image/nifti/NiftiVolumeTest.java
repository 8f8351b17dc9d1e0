package calfkit.image.nifti;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import calfkit.testing.PythonReference;

/**
 * The kit's NIfTI reader against nibabel, on files written by other software (the NIfTI-1 big-endian,
 * gzipped 4D and NIfTI-2 examples that Debian's python3-nibabel ships) and on files nibabel writes here
 * with every supported data type and a scaling slope and intercept.
 */
@Tag("reference")
class NiftiVolumeTest {

    private static final Path NIBABEL_DATA = Path.of("/usr/lib/python3/dist-packages/nibabel/tests/data");

    @TempDir
    Path dir;

    private static void assertMatchesNibabel(JsonObject ref, NiftiVolume v) {
        long[] shape = new Gson().fromJson(ref.get("shape"), long[].class);
        for (int i = 0; i < shape.length; i++) {
            assertEquals(shape[i], v.size(i), v.file() + " axis " + i);
        }
        double sum = 0;
        for (float x : v.data()) {
            sum += x;
        }
        double expected = ref.get("sum").getAsDouble();
        assertEquals(expected, sum, 1e-5 * Math.max(1, Math.abs(expected)), v.file() + " sum");
        int[] picks = new Gson().fromJson(ref.get("picks"), int[].class);
        double[] values = new Gson().fromJson(ref.get("values"), double[].class);
        for (int i = 0; i < picks.length; i++) {
            assertEquals(values[i], v.data()[picks[i]], 1e-4 * Math.max(1, Math.abs(values[i])), v.file() + " voxel " + picks[i]);
        }
    }

    @Test
    void readsFilesWrittenByOtherSoftware() throws IOException {
        String[] files = {"anatomical.nii", "example4d.nii.gz", "example_nifti2.nii.gz", "functional.nii", "standard.nii.gz"};
        JsonArray cases = new JsonArray();
        for (String f : files) {
            JsonObject c = new JsonObject();
            c.addProperty("id", f);
            c.addProperty("path", NIBABEL_DATA.resolve(f).toString());
            cases.add(c);
        }
        JsonObject request = new JsonObject();
        request.add("nifti_info", cases);
        JsonObject ref = PythonReference.run(request);
        assertEquals(348, ref.getAsJsonObject("anatomical.nii").get("version").getAsInt());
        assertEquals(540, ref.getAsJsonObject("example_nifti2.nii.gz").get("version").getAsInt());
        for (String f : files) {
            assertMatchesNibabel(ref.getAsJsonObject(f), NiftiVolume.read(NIBABEL_DATA.resolve(f)));
        }
    }

    @Test
    void everyDataTypeAndTheScalingLikeNibabel() throws IOException {
        String[][] variants = {{"uint8", "1"}, {"int16", "1"}, {"int32", "2"}, {"float32", "1"}, {"float64", "2"},
            {"uint16", "1"}, {"int8", "1"}};
        JsonArray write = new JsonArray();
        JsonArray info = new JsonArray();
        for (int i = 0; i < variants.length; i++) {
            JsonObject c = new JsonObject();
            String path = dir.resolve("v" + i + "-" + variants[i][0] + (i % 2 == 0 ? ".nii.gz" : ".nii")).toString();
            c.addProperty("id", "w" + i);
            c.addProperty("path", path);
            c.add("shape", new Gson().toJsonTree(new int[] {7, 5, 4}));
            c.addProperty("dtype", variants[i][0]);
            c.addProperty("version", Integer.parseInt(variants[i][1]));
            c.addProperty("kind", variants[i][0].contains("int8") ? "label" : "image");
            if (i % 3 == 1) {
                c.addProperty("slope", 0.5);
                c.addProperty("inter", -3.0);
            }
            write.add(c);
            JsonObject q = new JsonObject();
            q.addProperty("id", "i" + i);
            q.addProperty("path", path);
            info.add(q);
        }
        JsonObject w = new JsonObject();
        w.add("write_nifti", write);
        PythonReference.run(w);
        JsonObject r = new JsonObject();
        r.add("nifti_info", info);
        JsonObject ref = PythonReference.run(r);
        for (int i = 0; i < variants.length; i++) {
            Path path = Path.of(write.get(i).getAsJsonObject().get("path").getAsString());
            assertMatchesNibabel(ref.getAsJsonObject("i" + i), NiftiVolume.read(path));
        }
    }

    @Test
    void badFilesAreNamed() throws IOException {
        Path text = dir.resolve("notes.nii");
        Files.writeString(text, "x".repeat(400));
        IOException e = assertThrows(IOException.class, () -> NiftiVolume.read(text));
        assertEquals(text + ": not a NIfTI image (header size field is neither 348 nor 540)", e.getMessage());
        Path gz = dir.resolve("broken.nii.gz");
        Files.writeString(gz, "not gzip");
        IOException g = assertThrows(IOException.class, () -> NiftiVolume.read(gz));
        assertTrue(g.getMessage().startsWith(gz.toString()), g.getMessage());
        byte[] real = Files.readAllBytes(NIBABEL_DATA.resolve("anatomical.nii"));
        Path cut = dir.resolve("cut.nii");
        Files.write(cut, java.util.Arrays.copyOf(real, real.length / 2));
        IOException t = assertThrows(IOException.class, () -> NiftiVolume.read(cut));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
    }
}
