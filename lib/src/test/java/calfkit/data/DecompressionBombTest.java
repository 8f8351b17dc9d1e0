package calfkit.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import calfkit.image.nifti.NiftiVolume;
import calfkit.image.png.PngReader;

/**
 * Files whose headers claim more than they hold: each is refused before its claimed size is allocated, with the
 * file named, and the heap does not grow by the claimed size.
 */
class DecompressionBombTest {

    @TempDir
    Path dir;

    private static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(type.getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private static byte[] png(int width, int height, int colorType, byte[] plte, byte[] idat) throws IOException {
        return png(width, height, 8, colorType, 0, plte, idat);
    }

    private static byte[] png(int width, int height, int bitDepth, int colorType, int interlace, byte[] plte,
                              byte[] idat) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        out.write(chunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth)
                .put((byte) colorType).put((byte) 0).put((byte) 0).put((byte) interlace).array()));
        if (plte != null) {
            out.write(chunk("PLTE", plte));
        }
        out.write(chunk("IDAT", idat));
        out.write(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream z = new DeflaterOutputStream(b, new Deflater(9))) {
            z.write(raw);
        }
        return b.toByteArray();
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        System.gc();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void pngHeadersThatClaimTooMuchAreRefusedBeforeAllocating() throws IOException {
        long before = usedHeap();
        // 69 bytes claiming 40000 x 40000 pixels (1.6 GB).
        Path tiny = dir.resolve("tiny-bomb.png");
        Files.write(tiny, png(40000, 40000, 0, null, deflate(new byte[1])));
        assertTrue(Files.size(tiny) < 80, Files.size(tiny) + " bytes");
        IOException e = assertThrows(IOException.class, () -> new PngReader().area(tiny));
        assertEquals(tiny + ": image of 40000x40000 pixels is larger than the kit's limit of 4096x4096 per slice "
                + "(raise it with -Dcalf.png.maxSide=N)", e.getMessage());
        // Within the side limit but more pixels than its compressed data can hold.
        Path thin = dir.resolve("thin.png");
        Files.write(thin, png(4000, 4000, 0, null, deflate(new byte[100])));
        IOException t = assertThrows(IOException.class, () -> new PngReader().read(thin));
        assertTrue(t.getMessage().startsWith(thin + ": corrupted PNG (") && t.getMessage().contains("cannot hold 4000x4000"),
                t.getMessage());
        // A real deflate bomb: 2 MB of compressed zeros that would inflate to 46000 x 46000.
        Path real = dir.resolve("deflate-bomb.png");
        Files.write(real, png(46000, 46000, 0, null, deflate(new byte[2_000_000])));
        assertThrows(IOException.class, () -> new PngReader().readGray8(real));
        long grown = usedHeap() - before;
        assertTrue(grown < 64L << 20, "the heap grew by " + (grown >> 20) + " MB");
    }

    @Test
    void aPaletteOfMoreThan256EntriesIsACorruptPngNotACrash() throws IOException {
        Path file = dir.resolve("palette.png");
        byte[] raw = new byte[4 * (4 + 1)];
        Files.write(file, png(4, 4, 3, new byte[3 * 300], deflate(raw)));
        IOException e = assertThrows(IOException.class, () -> new PngReader().area(file));
        assertEquals(file + ": corrupted PNG (palette of 900 bytes; expected at most 256 RGB entries)", e.getMessage());
    }

    @Test
    void badHeadersAndUndecodableDataNameTheFile() throws IOException {
        Path zeroDepth = dir.resolve("zero-depth.png");
        Files.write(zeroDepth, png(4, 4, 0, 0, 0, null, deflate(new byte[20])));
        IOException e = assertThrows(IOException.class, () -> new PngReader().area(zeroDepth));
        assertEquals(zeroDepth + ": corrupted PNG (bit depth 0, colour type 0, interlace 0 is not a valid PNG header)",
                e.getMessage());
        // Interlaced PNGs go through ImageIO; data it cannot decode is a corrupt PNG naming the file.
        for (int depth : new int[] {8, 16}) {
            Path broken = dir.resolve("interlaced-" + depth + ".png");
            Files.write(broken, png(64, 64, depth, 0, 1, null, deflate(new byte[40])));
            IOException b = assertThrows(IOException.class, () -> new PngReader().readGray8(broken));
            // a 16-bit slice is refused as such before its data is read
            assertTrue(b.getMessage().startsWith(broken + (depth == 16 ? ": a 16-bit image" : ": corrupted PNG (")),
                    b.getMessage());
            assertThrows(IOException.class, () -> new PngReader().area(broken));
        }
    }

    private static byte[] niftiHeader(short... dims) {
        ByteBuffer h = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0, 348);
        h.putShort(40, (short) dims.length);
        for (int i = 0; i < dims.length; i++) {
            h.putShort(42 + 2 * i, dims[i]);
        }
        h.putShort(70, (short) 16);   // float32
        h.putShort(72, (short) 32);
        h.putFloat(108, 352f);
        h.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
        return h.array();
    }

    @Test
    void niftiHeadersThatClaimTooMuchAreRefusedBeforeReading() throws IOException {
        long before = usedHeap();
        // About 64 KB of gzip whose header claims 1000 x 1000 x 1000 float voxels (4 GB).
        Path gz = dir.resolve("bomb.nii.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(niftiHeader((short) 1000, (short) 1000, (short) 1000));
            out.write(new byte[1 << 30 >> 4]);
        }
        IOException e = assertThrows(IOException.class, () -> NiftiVolume.read(gz));
        assertEquals(gz + ": dimensions [1000, 1000, 1000] are more voxels than the kit's limit of 134217728 per volume "
                + "(raise it with -Dcalf.nifti.maxVoxels=N)", e.getMessage());
        // Dimensions whose product overflows a long: still the same plain refusal, not "len < 0".
        Path wide = dir.resolve("overflow.nii");
        Files.write(wide, niftiHeader((short) 32767, (short) 32767, (short) 32767, (short) 32767, (short) 32767));
        IOException o = assertThrows(IOException.class, () -> NiftiVolume.read(wide));
        assertTrue(o.getMessage().startsWith(wide + ": dimensions [32767, 32767, 32767, 32767, 32767] are more voxels"),
                o.getMessage());
        long grown = usedHeap() - before;
        assertTrue(grown < 64L << 20, "the heap grew by " + (grown >> 20) + " MB");
    }
}
