package calfkit.image.png;

import java.util.Arrays;
import java.util.zip.DataFormatException;

/**
 * A zlib/DEFLATE decoder (RFC 1950/1951) made for PNG masks. Masks are long runs of one byte value;
 * {@link java.util.zip.Inflater} (zlib) copies such runs byte by byte and spends about 140 µs on a 256×256
 * mask, most of the area scan's time. Here a run (a match at distance 1) is one {@link Arrays#fill} and a
 * non-overlapping match one {@link System#arraycopy}, so a mask inflates in a few microseconds.
 *
 * <p>Huffman codes of up to {@value #FAST_BITS} bits are decoded through a lookup table, longer ones bit by bit
 * (canonical decoding as in zlib's "puff"). Malformed input throws {@link DataFormatException}; the Adler-32
 * trailer is not checked (the PNG chunk CRC already covers the compressed bytes).
 */
final class Inflate {

    private static final int FAST_BITS = 10;
    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
        59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4,
        4, 5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
        769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
        10, 11, 11, 12, 12, 13, 13};
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    private static final Huffman FIXED_LITERALS;
    private static final Huffman FIXED_DISTANCES;

    static {
        try {
        int[] lengths = new int[288];
        Arrays.fill(lengths, 0, 144, 8);
        Arrays.fill(lengths, 144, 256, 9);
        Arrays.fill(lengths, 256, 280, 7);
        Arrays.fill(lengths, 280, 288, 8);
        FIXED_LITERALS = Huffman.build(lengths, 288);
        int[] d = new int[30];
        Arrays.fill(d, 5);
        FIXED_DISTANCES = Huffman.build(d, 30);
        } catch (DataFormatException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private byte[] in;
    private int inPos;
    private int inEnd;
    private long bitBuf;
    private int bitCount;
    private byte[] out;
    private int outPos;
    private final int[] lengths = new int[320];

    /**
     * Inflates a zlib stream into {@code out[0, outLength)}.
     *
     * @return the number of bytes produced (less than outLength if the stream ends early)
     */
    int inflate(byte[] input, int offset, int length, byte[] output, int outLength) throws DataFormatException {
        in = input;
        inPos = offset;
        inEnd = offset + length;
        bitBuf = 0;
        bitCount = 0;
        out = output;
        outPos = 0;
        if (length < 2) {
            throw new DataFormatException("zlib stream too short");
        }
        int cmf = input[offset] & 0xff;
        int flg = input[offset + 1] & 0xff;
        if ((cmf & 0x0f) != 8 || ((cmf << 8) | flg) % 31 != 0 || (flg & 0x20) != 0) {
            throw new DataFormatException("not a zlib deflate stream");
        }
        inPos += 2;
        boolean last;
        do {
            last = bits(1) == 1;
            int type = bits(2);
            switch (type) {
                case 0 -> stored(outLength);
                case 1 -> codes(FIXED_LITERALS, FIXED_DISTANCES, outLength);
                case 2 -> dynamic(outLength);
                default -> throw new DataFormatException("invalid deflate block type 3");
            }
        } while (!last && outPos < outLength);
        return outPos;
    }

    private void refill() {
        while (bitCount <= 56 && inPos < inEnd) {
            bitBuf |= (long) (in[inPos++] & 0xff) << bitCount;
            bitCount += 8;
        }
    }

    private int bits(int n) throws DataFormatException {
        if (bitCount < n) {
            refill();
            if (bitCount < n) {
                throw new DataFormatException("compressed data ends too early");
            }
        }
        int v = (int) (bitBuf & ((1L << n) - 1));
        bitBuf >>>= n;
        bitCount -= n;
        return v;
    }

    private void stored(int outLength) throws DataFormatException {
        // Drop to a byte boundary; the bit buffer holds whole bytes read ahead, give them back.
        bitBuf >>>= bitCount & 7;
        bitCount -= bitCount & 7;
        inPos -= bitCount / 8;
        bitBuf = 0;
        bitCount = 0;
        if (inPos + 4 > inEnd) {
            throw new DataFormatException("stored block header ends too early");
        }
        int len = (in[inPos] & 0xff) | ((in[inPos + 1] & 0xff) << 8);
        int nlen = (in[inPos + 2] & 0xff) | ((in[inPos + 3] & 0xff) << 8);
        if (len != (~nlen & 0xffff)) {
            throw new DataFormatException("stored block length check failed");
        }
        inPos += 4;
        if (inPos + len > inEnd) {
            throw new DataFormatException("stored block ends too early");
        }
        int n = Math.min(len, outLength - outPos);
        System.arraycopy(in, inPos, out, outPos, n);
        outPos += n;
        inPos += len;
    }

    private void dynamic(int outLength) throws DataFormatException {
        int nlen = bits(5) + 257;
        int ndist = bits(5) + 1;
        int ncode = bits(4) + 4;
        if (nlen > 286 || ndist > 30) {
            throw new DataFormatException("bad dynamic block counts");
        }
        Arrays.fill(lengths, 0, 19, 0);
        for (int i = 0; i < ncode; i++) {
            lengths[CODE_LENGTH_ORDER[i]] = bits(3);
        }
        Huffman lencode = Huffman.build(Arrays.copyOf(lengths, 19), 19);
        int index = 0;
        while (index < nlen + ndist) {
            int symbol = decode(lencode);
            if (symbol < 16) {
                lengths[index++] = symbol;
            } else {
                int len = 0;
                int repeat;
                if (symbol == 16) {
                    if (index == 0) {
                        throw new DataFormatException("repeat with no first length");
                    }
                    len = lengths[index - 1];
                    repeat = 3 + bits(2);
                } else if (symbol == 17) {
                    repeat = 3 + bits(3);
                } else {
                    repeat = 11 + bits(7);
                }
                if (index + repeat > nlen + ndist) {
                    throw new DataFormatException("too many code lengths");
                }
                Arrays.fill(lengths, index, index + repeat, len);
                index += repeat;
            }
        }
        if (lengths[256] == 0) {
            throw new DataFormatException("no end-of-block code");
        }
        Huffman literals = Huffman.build(Arrays.copyOfRange(lengths, 0, nlen), nlen);
        Huffman distances = Huffman.build(Arrays.copyOfRange(lengths, nlen, nlen + ndist), ndist);
        codes(literals, distances, outLength);
    }

    private void codes(Huffman literals, Huffman distances, int outLength) throws DataFormatException {
        byte[] o = out;
        while (true) {
            int symbol = decode(literals);
            if (symbol < 256) {
                if (outPos >= outLength) {
                    throw new DataFormatException("more image data than the image size");
                }
                o[outPos++] = (byte) symbol;
            } else if (symbol == 256) {
                return;
            } else {
                symbol -= 257;
                if (symbol >= 29) {
                    throw new DataFormatException("invalid length code");
                }
                int len = LENGTH_BASE[symbol] + bits(LENGTH_EXTRA[symbol]);
                int ds = decode(distances);
                if (ds >= 30) {
                    throw new DataFormatException("invalid distance code");
                }
                int dist = DIST_BASE[ds] + bits(DIST_EXTRA[ds]);
                if (dist > outPos) {
                    throw new DataFormatException("distance too far back");
                }
                if (outPos + len > outLength) {
                    throw new DataFormatException("more image data than the image size");
                }
                int from = outPos - dist;
                if (dist == 1) {
                    Arrays.fill(o, outPos, outPos + len, o[from]);
                } else if (dist >= len) {
                    System.arraycopy(o, from, o, outPos, len);
                } else {
                    for (int i = 0; i < len; i++) {
                        o[outPos + i] = o[from + i];
                    }
                }
                outPos += len;
            }
        }
    }

    private int decode(Huffman h) throws DataFormatException {
        if (bitCount < 15) {
            refill();
        }
        int entry = h.fast[(int) (bitBuf & ((1 << FAST_BITS) - 1))];
        int len = entry & 15;
        if (len != 0 && len <= bitCount) {
            bitBuf >>>= len;
            bitCount -= len;
            return entry >>> 4;
        }
        // Slow path: canonical decoding one bit at a time (codes longer than FAST_BITS, or the stream's end).
        int code = 0;
        int first = 0;
        int index = 0;
        for (int l = 1; l <= 15; l++) {
            code |= bits(1);
            int count = h.count[l];
            if (code - count < first) {
                return h.symbols[index + (code - first)];
            }
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        throw new DataFormatException("invalid Huffman code");
    }

    /** A canonical Huffman code: counts per length, symbols in code order, and a fast lookup table. */
    private static final class Huffman {
        final int[] count = new int[16];
        final int[] symbols;
        final int[] fast = new int[1 << FAST_BITS];

        private Huffman(int n) {
            symbols = new int[n];
        }

        static Huffman build(int[] lengths, int n) throws DataFormatException {
            Huffman h = new Huffman(n);
            for (int i = 0; i < n; i++) {
                h.count[lengths[i]]++;
            }
            int[] offs = new int[16];
            for (int l = 1; l < 15; l++) {
                offs[l + 1] = offs[l] + h.count[l];
            }
            for (int i = 0; i < n; i++) {
                if (lengths[i] != 0) {
                    h.symbols[offs[lengths[i]]++] = i;
                }
            }
            // Fast table: canonical codes assigned in (length, symbol) order, bit-reversed for LSB-first reading.
            int code = 0;
            int k = 0;
            for (int l = 1; l <= 15; l++) {
                if (code + h.count[l] > (1 << l)) {
                    throw new DataFormatException("over-subscribed Huffman code");
                }
                for (int c = 0; c < h.count[l]; c++) {
                    int symbol = h.symbols[k++];
                    if (l <= FAST_BITS) {
                        int reversed = Integer.reverse(code) >>> (32 - l);
                        for (int fill = reversed; fill < (1 << FAST_BITS); fill += 1 << l) {
                            h.fast[fill] = (symbol << 4) | l;
                        }
                    }
                    code++;
                }
                code <<= 1;
            }
            return h;
        }
    }
}
