package calfkit.image.png;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;

/** The kit's inflater against the JDK's zlib deflater: every block type, level and strategy round-trips. */
class InflateTest {

    private static byte[] deflate(byte[] data, int level, int strategy) {
        Deflater d = new Deflater(level);
        d.setStrategy(strategy);
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[data.length * 2 + 1024];
        int n = 0;
        while (!d.finished()) { // a strategy change can make the first call return nothing
            n += d.deflate(buf, n, buf.length - n);
        }
        d.end();
        return Arrays.copyOf(buf, n);
    }

    private static byte[] sample(Random r, int n, double entropy) {
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            int run = r.nextDouble() < entropy ? 1 : 1 + r.nextInt(300);
            byte v = (byte) (r.nextDouble() < entropy ? r.nextInt(256) : r.nextInt(3));
            for (int k = 0; k < run && i < n; k++) {
                b[i++] = v;
            }
        }
        return b;
    }

    @Test
    void roundTripsEveryLevelAndStrategy() throws DataFormatException {
        Random r = new Random(3);
        Inflate inflate = new Inflate();
        for (int size : new int[] {1, 100, 65_792, 300_000}) {
            for (double entropy : new double[] {0.0, 0.05, 0.5, 1.0}) {
                byte[] data = sample(r, size, entropy);
                for (int level : new int[] {0, 1, 6, 9}) {
                    for (int strategy : new int[] {Deflater.DEFAULT_STRATEGY, Deflater.FILTERED, Deflater.HUFFMAN_ONLY}) {
                        byte[] z = deflate(data, level, strategy);
                        byte[] out = new byte[size];
                        assertEquals(size, inflate.inflate(z, 0, z.length, out, size));
                        assertArrayEquals(data, out, "size " + size + " entropy " + entropy + " level " + level);
                    }
                }
            }
        }
    }

    @Test
    void rejectsBrokenStreams() {
        byte[] data = sample(new Random(5), 10_000, 0.3);
        byte[] z = deflate(data, 6, Deflater.DEFAULT_STRATEGY);
        Inflate inflate = new Inflate();
        assertThrows(DataFormatException.class, () -> inflate.inflate(z, 0, z.length / 2, new byte[10_000], 10_000));
        assertThrows(DataFormatException.class, () -> inflate.inflate(new byte[] {1, 2, 3}, 0, 3, new byte[10], 10));
        // More data than the image holds.
        assertThrows(DataFormatException.class, () -> inflate.inflate(z, 0, z.length, new byte[9_000], 9_000));
        // Random garbage after a valid header either fails cleanly or yields bytes, never hangs or overflows.
        Random r = new Random(11);
        for (int t = 0; t < 200; t++) {
            byte[] g = new byte[64];
            r.nextBytes(g);
            g[0] = 0x78;
            g[1] = (byte) 0x9c;
            try {
                inflate.inflate(g, 0, g.length, new byte[4096], 4096);
            } catch (DataFormatException expected) {
                // fine
            }
        }
    }

    @Test
    void countsNonZeroBytesEightAtATime() {
        Random r = new Random(9);
        for (int t = 0; t < 100; t++) {
            byte[] b = new byte[1 + r.nextInt(600)];
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextDouble() < 0.3 ? (byte) (1 + r.nextInt(255)) : 0;
            }
            int from = r.nextInt(b.length);
            int n = b.length - from;
            int expected = 0;
            for (int i = from; i < b.length; i++) {
                expected += b[i] != 0 ? 1 : 0;
            }
            assertEquals(expected, PngReader.nonZeroBytes(b, from, n));
        }
    }
}
