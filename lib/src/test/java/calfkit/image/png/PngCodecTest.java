package calfkit.image.png;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PNG codec against ImageIO, the JDK's decoder and encoder: what {@link PngWriter} writes ImageIO reads back
 * pixel for pixel, and what ImageIO writes {@link PngReader} reads pixel for pixel (gray values and the 0/1 mask
 * of non-zero pixels), on noisy images and on masks of long runs, at sizes that are not multiples of 8.
 */
class PngCodecTest {

    @TempDir
    Path dir;

    private static byte[] image(int w, int h, long seed, boolean runs) {
        Random r = new Random(seed);
        byte[] px = new byte[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = runs ? (byte) ((i / w > h / 3 && i / w < h / 2 && i % w > w / 4 && i % w < w / 2) ? 255 : 0)
                    : (byte) r.nextInt(256);
        }
        return px;
    }

    @Test
    void whatTheWriterWritesImageIoReads() throws IOException {
        int[][] sizes = {{1, 1}, {7, 13}, {48, 48}, {255, 31}};
        for (int[] s : sizes) {
            for (boolean runs : new boolean[] {false, true}) {
                byte[] px = image(s[0], s[1], s[0] * 31L + s[1], runs);
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(new PngWriter().encode(px, s[0], s[1])));
                assertEquals(s[0], img.getWidth());
                assertEquals(s[1], img.getHeight());
                byte[] back = new byte[px.length];
                for (int y = 0; y < s[1]; y++) {
                    for (int x = 0; x < s[0]; x++) {
                        back[y * s[0] + x] = (byte) img.getRaster().getSample(x, y, 0);
                    }
                }
                assertArrayEquals(px, back, s[0] + "x" + s[1] + (runs ? " mask" : " noise"));
            }
        }
    }

    @Test
    void whatImageIoWritesTheReaderReads() throws IOException {
        PngReader reader = new PngReader();
        int[][] sizes = {{1, 1}, {9, 5}, {48, 48}, {100, 77}};
        for (int[] s : sizes) {
            for (boolean runs : new boolean[] {false, true}) {
                byte[] px = image(s[0], s[1], s[1] * 17L + s[0], runs);
                BufferedImage img = new BufferedImage(s[0], s[1], BufferedImage.TYPE_BYTE_GRAY);
                img.getRaster().setDataElements(0, 0, s[0], s[1], px);
                Path file = dir.resolve(s[0] + "x" + s[1] + (runs ? "-mask" : "-noise") + ".png");
                ImageIO.write(img, "png", file.toFile());
                assertArrayEquals(px, reader.readGray8(file), file.toString());
                byte[] mask = reader.read(file);
                long ones = 0;
                for (int i = 0; i < px.length; i++) {
                    assertEquals(px[i] != 0 ? 1 : 0, mask[i], file + " pixel " + i);
                    ones += mask[i];
                }
                assertEquals(ones, reader.area(file), file.toString());
                assertEquals(s[0], reader.width());
                assertEquals(s[1], reader.height());
            }
        }
    }

    @Test
    void writerAndReaderRoundTripThroughAFile() throws IOException {
        byte[] mask = new byte[48 * 40];
        for (int i = 100; i < 400; i++) {
            mask[i] = 1;
        }
        Path file = dir.resolve("m.png");
        new PngWriter().writeMask(file, mask, 48, 40);
        assertEquals(300, new PngReader().area(file));
        assertArrayEquals(mask, new PngReader().read(file));
        assertTrue(Files.size(file) < 200, "a mask of one run compresses: " + Files.size(file) + " bytes");
    }

    @Test
    void aTransparentPixelIsBackgroundAndA16BitImageIsRefused() throws IOException {
        // White everywhere, the tumour painted into the alpha channel: 6 opaque pixels of 4 × 3.
        BufferedImage rgba = new BufferedImage(4, 3, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                rgba.setRGB(x, y, (x < 2 ? 0xFF000000 : 0) | 0xFFFFFF);
            }
        }
        Path file = dir.resolve("alpha.png");
        ImageIO.write(rgba, "png", file.toFile());
        assertEquals(6, new PngReader().area(file), "transparent pixels are background");
        BufferedImage deep = new BufferedImage(4, 3, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(1, 1, 0, 2500);
        Path image = dir.resolve("deep.png");
        ImageIO.write(deep, "png", image.toFile());
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> new PngReader().readGray8(image));
        assertTrue(e.getMessage().contains("a 16-bit image"), e.getMessage());
        assertEquals(1, new PngReader().area(image), "as a mask, 16 bits are fine: non-zero is foreground");
    }
}
