package calfkit.image.png;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes 8-bit grayscale PNGs fast (the phantom generator writes thousands per second): no filtering,
 * DEFLATE level 1. A mask is written as 0/255. Not thread-safe; use one writer per thread.
 */
public final class PngWriter {

    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private final CRC32 crc = new CRC32();
    private byte[] raw = new byte[0];
    private byte[] compressed = new byte[1 << 16];
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);

    /** The PNG bytes of a row-major 8-bit gray image. */
    public byte[] encode(byte[] pixels, int width, int height) {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " values, expected " + width + "x" + height);
        }
        int rawSize = (width + 1) * height;
        if (raw.length < rawSize) {
            raw = new byte[rawSize];
        }
        for (int y = 0; y < height; y++) {
            raw[y * (width + 1)] = 0; // filter: none
            System.arraycopy(pixels, y * width, raw, y * (width + 1) + 1, width);
        }
        deflater.reset();
        deflater.setInput(raw, 0, rawSize);
        deflater.finish();
        int n = 0;
        while (!deflater.finished()) {
            if (n == compressed.length) {
                compressed = java.util.Arrays.copyOf(compressed, compressed.length * 2);
            }
            n += deflater.deflate(compressed, n, compressed.length - n);
        }
        out.reset();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 0;  // grayscale
        chunk("IHDR", ihdr, 13);
        chunk("IDAT", compressed, n);
        chunk("IEND", new byte[0], 0);
        return out.toByteArray();
    }

    /** Writes a gray image to a file. */
    public void write(Path file, byte[] pixels, int width, int height) throws IOException {
        Files.write(file, encode(pixels, width, height));
    }

    /** Writes a 0/1 mask as a 0/255 gray PNG. */
    public void writeMask(Path file, byte[] mask, int width, int height) throws IOException {
        byte[] gray = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            gray[i] = mask[i] != 0 ? (byte) 255 : 0;
        }
        write(file, gray, width, height);
    }

    private void chunk(String type, byte[] data, int length) {
        byte[] header = new byte[8];
        putInt(header, 0, length);
        for (int i = 0; i < 4; i++) {
            header[4 + i] = (byte) type.charAt(i);
        }
        crc.reset();
        crc.update(header, 4, 4);
        crc.update(data, 0, length);
        out.write(header, 0, 8);
        out.write(data, 0, length);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.write(c, 0, 4);
    }

    private static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }
}
