package calfkit.stats;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import calfkit.image.png.PngFormatException;
import calfkit.image.png.PngReader;
import calfkit.testing.PythonReference;

/** Mask areas read by the kit against masks written by PIL and counted by numpy. */
@Tag("reference")
class AreaScanTest {

    @TempDir
    Path dir;

    private JsonObject writeMasks(Path folder, String... modes) throws IOException {
        Files.createDirectories(folder);
        JsonArray cases = new JsonArray();
        for (int i = 0; i < modes.length; i++) {
            JsonObject c = new JsonObject();
            c.addProperty("id", "m" + i);
            c.addProperty("path", folder.resolve(String.format("mask-%02d-%s.png", i, modes[i].replace(';', '_'))).toString());
            c.addProperty("mode", modes[i]);
            c.addProperty("seed", 100 + i);
            JsonArray size = new JsonArray();
            size.add(37 + i);
            size.add(29 + 2 * i);
            c.add("size", size);
            c.addProperty("optimize", i % 2 == 0);
            cases.add(c);
        }
        JsonObject request = new JsonObject();
        request.add("write_masks", cases);
        return PythonReference.run(request);
    }

    @Test
    void readsEveryPngFlavourLikeNumpyCountsIt() throws IOException {
        String[] modes = {"L", "1", "P", "RGB", "I;16", "LA", "L", "P"};
        JsonObject ref = writeMasks(dir, modes);
        List<Path> files = AreaScan.maskFiles(dir);
        assertEquals(modes.length, files.size());
        PngReader reader = new PngReader();
        for (int i = 0; i < modes.length; i++) {
            long expected = ref.getAsJsonObject("m" + i).get("area").getAsLong();
            assertEquals(expected, reader.area(files.get(i)), files.get(i).toString());
            byte[] mask = reader.read(files.get(i));
            assertEquals((37 + i) * (29 + 2 * i), mask.length);
            long ones = 0;
            for (byte b : mask) {
                ones += b;
            }
            assertEquals(expected, ones);
        }
    }

    @Test
    void cacheRereadsOnlyChangedMasks() throws IOException {
        JsonObject ref = writeMasks(dir, "L", "L", "1");
        AreaScan.Result first = AreaScan.scan(dir);
        assertEquals(3, first.decoded());
        assertTrue(Files.isRegularFile(dir.resolve(AreaScan.CACHE_FILE)));
        AreaScan.Result second = AreaScan.scan(dir);
        assertEquals(0, second.decoded());
        assertEquals(3, second.fromCache());
        assertArrayEquals(first.areas(), second.areas());
        Path changed = AreaScan.maskFiles(dir).get(1);
        Files.setLastModifiedTime(changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 5000));
        AreaScan.Result third = AreaScan.scan(dir);
        assertEquals(1, third.decoded());
        assertEquals(ref.getAsJsonObject("m1").get("area").getAsLong(), third.areas()[1]);
    }

    @Test
    void onlyMasksFoldersCountInTheSliceLayout() throws IOException {
        writeMasks(dir.resolve("p001/masks"), "L", "L");
        writeMasks(dir.resolve("p001/images"), "L", "L", "L");
        assertEquals(2, AreaScan.maskFiles(dir).size());
    }

    @Test
    void badFilesAreNamed() throws IOException {
        Path notPng = dir.resolve("notes.png");
        Files.writeString(notPng, "hello");
        PngFormatException e = assertThrows(PngFormatException.class, () -> new PngReader().area(notPng));
        assertEquals(notPng + ": not a PNG file (no PNG signature); expected a binary mask PNG", e.getMessage());

        writeMasks(dir.resolve("rgb"), "L");
        Path good = AreaScan.maskFiles(dir.resolve("rgb")).get(0);
        byte[] bytes = Files.readAllBytes(good);
        bytes[bytes.length - 20] ^= 0x55; // inside the last IDAT or its CRC
        Path corrupted = dir.resolve("corrupted.png");
        Files.write(corrupted, bytes);
        PngFormatException c = assertThrows(PngFormatException.class, () -> new PngReader().area(corrupted));
        assertTrue(c.getMessage().startsWith(corrupted + ": corrupted PNG"), c.getMessage());

        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(good), 60));
        assertThrows(PngFormatException.class, () -> new PngReader().area(truncated));

        IOException none = assertThrows(IOException.class, () -> AreaScan.scan(Files.createDirectories(dir.resolve("empty"))));
        assertTrue(none.getMessage().contains("no mask PNG found"), none.getMessage());
    }

    @Test
    void colourImagesAreNotMasks() throws IOException {
        java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(2, 1, 0xff0000);
        Path file = dir.resolve("colour.png");
        javax.imageio.ImageIO.write(rgb, "png", file.toFile());
        PngFormatException e = assertThrows(PngFormatException.class, () -> new PngReader().area(file));
        assertEquals(file + ": not a single-channel mask: pixel (2, 1) has R, G, B = 255, 0, 0; expected a grayscale"
                + " or binary image (non-zero = foreground)", e.getMessage());
    }
}
