package calfkit.image.png;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import javax.imageio.ImageIO;

/**
 * Reads segmentation masks (and 8-bit gray slices) from PNG files, fast: it parses the PNG chunks, inflates the image data and
 * undoes the row filters itself, without building a {@link BufferedImage}. Foreground = any non-zero sample.
 *
 * <p>Accepted masks: grayscale (bit depths 1–16), grayscale + alpha, palette (foreground = a palette colour that is
 * not black), and RGB/RGBA whose pixels are all grey (R = G = B), as image editors often save masks. With an
 * alpha channel a transparent pixel (alpha 0) is background whatever its grey: an editor that paints the tumour
 * into the alpha channel of a white layer gives the tumour, not a mask that is foreground everywhere. Images
 * ({@link #readGray8}) are 8-bit grey; a 16-bit image is refused (its grey levels would be cut to the high byte).
 * Rejected with the file named: not a PNG, a corrupted PNG (bad CRC, broken zlib data, truncated), and colour
 * images (R, G, B differ). Interlaced PNGs are read through ImageIO.
 *
 * <p>Not thread-safe (it reuses its buffers); use one reader per thread.
 */
public final class PngReader {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int IHDR = 0x49484452;
    private static final int PLTE = 0x504c5445;
    private static final int IDAT = 0x49444154;
    private static final int IEND = 0x49454e44;

    /** The system property that sets {@link #MAX_SIDE}. */
    public static final String MAX_SIDE_PROPERTY = "calf.png.maxSide";
    /**
     * The largest image side the reader accepts (default 4096, 16× the paper's 256² slices): the header is
     * checked before any buffer is allocated, so a small file cannot claim gigabytes.
     */
    public static final int MAX_SIDE = Integer.getInteger(MAX_SIDE_PROPERTY, 4096);
    /** DEFLATE's largest expansion (258 bytes from about 2 bits), rounded up. */
    private static final int MAX_DEFLATE_RATIO = 1040;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final Inflate inflater = new Inflate();
    private final CRC32 crc = new CRC32();
    private byte[] idat = new byte[1 << 16];
    private byte[] raw = new byte[1 << 16];

    /** Width and height of the last mask read. */
    private int width;
    private int height;

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The number of foreground (non-zero) pixels of a mask file. */
    public long area(Path file) throws IOException {
        return decode(file, false);
    }

    /**
     * The mask as one byte per pixel, row by row: 1 foreground, 0 background. Its size is
     * {@link #width()} × {@link #height()} of this call.
     */
    public byte[] read(Path file) throws IOException {
        decode(file, true);
        return mask;
    }

    /** The mask of the last {@link #read}. */
    private byte[] mask;

    /**
     * An image as 8-bit gray values, row by row ({@link #width()} × {@link #height()}): for the MRI slices
     * the loaders feed to a model. 8-bit grayscale PNGs are decoded here; any other kind (16-bit, colour,
     * palette, interlaced) through ImageIO, converted to 8-bit gray.
     */
    public byte[] readGray8(Path file) throws IOException {
        gray8 = true;
        try {
            decode(file, false);
        } finally {
            gray8 = false;
        }
        return gray;
    }

    private boolean gray8;
    private byte[] gray;

    /** Decodes a mask file; returns its foreground area, and keeps the mask in {@link #mask} when asked. */
    private long decode(Path file, boolean keepMask) throws IOException {
        try {
            return decodeWithin(file, keepMask);
        } catch (OutOfMemoryError e) {
            idat = new byte[1 << 16];
            raw = new byte[1 << 16];
            throw new IOException(file + ": decoding it does not fit in this JVM's memory (" + width + "x" + height
                    + " pixels; " + e.getMessage() + ")", e);
        }
    }

    private long decodeWithin(Path file, boolean keepMask) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (data.length < 8 || !startsWithSignature(data)) {
            throw new PngFormatException(file, "not a PNG file (no PNG signature); expected a binary mask PNG");
        }
        int pos = 8;
        int bitDepth = -1;
        int colorType = -1;
        int interlace = 0;
        boolean[] paletteForeground = null;
        int idatLength = 0;
        boolean ended = false;
        while (pos + 12 <= data.length) {
            int length = readInt(data, pos);
            int type = readInt(data, pos + 4);
            if (length < 0 || pos + 12L + length > data.length) {
                throw new PngFormatException(file, "truncated or corrupted PNG (chunk runs past the end of the file)");
            }
            crc.reset();
            crc.update(data, pos + 4, length + 4);
            if ((int) crc.getValue() != readInt(data, pos + 8 + length)) {
                throw new PngFormatException(file, "corrupted PNG (CRC mismatch in chunk " + chunkName(type) + ")");
            }
            int start = pos + 8;
            if (type == IHDR) {
                width = readInt(data, start);
                height = readInt(data, start + 4);
                bitDepth = data[start + 8] & 0xff;
                colorType = data[start + 9] & 0xff;
                interlace = data[start + 12] & 0xff;
                if (width <= 0 || height <= 0) {
                    throw new PngFormatException(file, "invalid size " + width + "x" + height);
                }
                if (!validDepth(colorType, bitDepth) || interlace > 1) {
                    throw new PngFormatException(file, "corrupted PNG (bit depth " + bitDepth + ", colour type "
                            + colorType + ", interlace " + interlace + " is not a valid PNG header)");
                }
                if (width > MAX_SIDE || height > MAX_SIDE) {
                    // Checked before anything is allocated: a 69-byte file may claim 40000x40000 pixels.
                    throw new PngFormatException(file, "image of " + width + "x" + height + " pixels is larger than "
                            + "the kit's limit of " + MAX_SIDE + "x" + MAX_SIDE + " per slice (raise it with "
                            + "-D" + MAX_SIDE_PROPERTY + "=N)");
                }
            } else if (type == PLTE) {
                if (length % 3 != 0 || length / 3 > 256) {
                    throw new PngFormatException(file, "corrupted PNG (palette of " + length + " bytes; expected at "
                            + "most 256 RGB entries)");
                }
                paletteForeground = new boolean[256];
                for (int i = 0; i < length / 3; i++) {
                    paletteForeground[i] = data[start + 3 * i] != 0 || data[start + 3 * i + 1] != 0
                            || data[start + 3 * i + 2] != 0;
                }
            } else if (type == IDAT) {
                if (idatLength + length > idat.length) {
                    byte[] bigger = new byte[Math.max(idat.length * 2, idatLength + length)];
                    System.arraycopy(idat, 0, bigger, 0, idatLength);
                    idat = bigger;
                }
                System.arraycopy(data, start, idat, idatLength, length);
                idatLength += length;
            } else if (type == IEND) {
                ended = true;
                break;
            }
            pos += 12 + length;
        }
        if (bitDepth < 0) {
            throw new PngFormatException(file, "corrupted PNG (no IHDR header)");
        }
        if (!ended) {
            throw new PngFormatException(file, "truncated PNG (no IEND chunk)");
        }
        if (gray8 && bitDepth == 16) {
            throw new PngFormatException(file, "a 16-bit image; the kit reads slices as 8-bit grey levels (rescale it to "
                    + "8 bits, as calf convert does from NIfTI volumes)");
        }
        if (gray8 && (colorType != 0 || bitDepth != 8 || interlace != 0)) {
            return readGrayWithImageIo(file, data);
        }
        if (interlace != 0) {
            return readWithImageIo(file, data, keepMask);
        }
        int channels = switch (colorType) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw new PngFormatException(file, "unknown PNG colour type " + colorType);
        };
        if (colorType == 3 && paletteForeground == null) {
            throw new PngFormatException(file, "corrupted PNG (palette image without PLTE chunk)");
        }
        int bitsPerPixel = channels * bitDepth;
        int rowBytes = (width * bitsPerPixel + 7) / 8;
        int bpp = Math.max(1, bitsPerPixel / 8);
        long rawSize = (long) (rowBytes + 1) * height;
        if (rawSize > Integer.MAX_VALUE) {
            throw new PngFormatException(file, "image too large for a mask: " + width + "x" + height);
        }
        if (rawSize > (long) idatLength * MAX_DEFLATE_RATIO + 1024) {
            // DEFLATE expands at most about 1032:1: more than that cannot be in the file's data.
            throw new PngFormatException(file, "corrupted PNG (" + idatLength + " bytes of image data cannot hold "
                    + width + "x" + height + " pixels)");
        }
        if (raw.length < rawSize) {
            raw = new byte[(int) rawSize];
        }
        try {
            int got = inflater.inflate(idat, 0, idatLength, raw, (int) rawSize);
            if (got < rawSize) {
                throw new PngFormatException(file, "corrupted PNG (image data ends after " + got + " of " + rawSize + " bytes)");
            }
        } catch (DataFormatException | RuntimeException e) {
            throw new PngFormatException(file, "corrupted PNG (broken compressed data: " + e.getMessage() + ")");
        }
        mask = keepMask ? new byte[width * height] : null;
        if (gray8) {
            gray = new byte[width * height];
        }
        long count = 0;
        for (int y = 0; y < height; y++) {
            int row = y * (rowBytes + 1) + 1;
            int filter = raw[row - 1];
            unfilter(file, filter, raw, row, y == 0 ? -1 : row - rowBytes - 1, rowBytes, bpp);
            if (gray8) {
                System.arraycopy(raw, row, gray, y * width, width);
                continue;
            }
            count += foregroundOfRow(file, raw, row, y, colorType, bitDepth, channels, paletteForeground, mask);
        }
        return count;
    }

    private static void unfilter(Path file, int filter, byte[] b, int row, int prior, int n, int bpp)
            throws PngFormatException {
        switch (filter) {
            case 0 -> {
            }
            case 1 -> {
                for (int i = bpp; i < n; i++) {
                    b[row + i] += b[row + i - bpp];
                }
            }
            case 2 -> {
                if (prior >= 0) {
                    for (int i = 0; i < n; i++) {
                        b[row + i] += b[prior + i];
                    }
                }
            }
            case 3 -> {
                for (int i = 0; i < n; i++) {
                    int left = i >= bpp ? b[row + i - bpp] & 0xff : 0;
                    int up = prior >= 0 ? b[prior + i] & 0xff : 0;
                    b[row + i] += (byte) ((left + up) >>> 1);
                }
            }
            case 4 -> {
                for (int i = 0; i < n; i++) {
                    int a = i >= bpp ? b[row + i - bpp] & 0xff : 0;
                    int up = prior >= 0 ? b[prior + i] & 0xff : 0;
                    int c = i >= bpp && prior >= 0 ? b[prior + i - bpp] & 0xff : 0;
                    int p = a + up - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - up);
                    int pc = Math.abs(p - c);
                    int pred = pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
                    b[row + i] += (byte) pred;
                }
            }
            default -> throw new PngFormatException(file, "corrupted PNG (unknown row filter " + filter + ")");
        }
    }

    private int foregroundOfRow(Path file, byte[] b, int row, int y, int colorType, int bitDepth, int channels,
                                boolean[] palette, byte[] mask) throws PngFormatException {
        int count = 0;
        int base = y * width;
        if (bitDepth == 8 && colorType == 0 && mask == null) {
            return nonZeroBytes(b, row, width);
        }
        if (bitDepth == 8 && (colorType == 0 || colorType == 3 || colorType == 4)) {
            for (int x = 0; x < width; x++) {
                int v = b[row + x * channels] & 0xff;
                boolean opaque = colorType != 4 || b[row + x * channels + 1] != 0;
                count += mark(colorType == 3 ? palette[v] : v != 0 && opaque, mask, base + x);
            }
            return count;
        }
        if (bitDepth < 8) {
            int perByte = 8 / bitDepth;
            int bitMask = (1 << bitDepth) - 1;
            for (int x = 0; x < width; x++) {
                int v = (b[row + x / perByte] >>> (8 - bitDepth * (x % perByte + 1))) & bitMask;
                count += mark(colorType == 3 ? palette[v] : v != 0, mask, base + x);
            }
            return count;
        }
        int sampleBytes = bitDepth / 8;
        for (int x = 0; x < width; x++) {
            int p = row + x * channels * sampleBytes;
            int gray = sample(b, p, sampleBytes);
            if (colorType == 2 || colorType == 6) {
                int g = sample(b, p + sampleBytes, sampleBytes);
                int bl = sample(b, p + 2 * sampleBytes, sampleBytes);
                if (g != gray || bl != gray) {
                    throw new PngFormatException(file, "not a single-channel mask: pixel (" + x + ", " + y
                            + ") has R, G, B = " + gray + ", " + g + ", " + bl
                            + "; expected a grayscale or binary image (non-zero = foreground)");
                }
            }
            boolean transparent = (colorType == 4 || colorType == 6)
                    && sample(b, p + (channels - 1) * sampleBytes, sampleBytes) == 0;
            if (gray != 0 && !transparent) {
                count++;
                if (mask != null) {
                    mask[base + x] = 1;
                }
            }
        }
        return count;
    }

    /** 1 for a foreground pixel, which is also set in {@code mask} (when there is one) at {@code at}; else 0. */
    private static int mark(boolean fg, byte[] mask, int at) {
        if (fg && mask != null) {
            mask[at] = 1;
        }
        return fg ? 1 : 0;
    }

    /** The number of non-zero bytes in b[from, from + n), eight at a time. */
    static int nonZeroBytes(byte[] b, int from, int n) {
        int count = 0;
        int i = 0;
        final long low7 = 0x7f7f7f7f7f7f7f7fL;
        for (; i + 8 <= n; i += 8) {
            long v = (long) LONGS.get(b, from + i);
            if (v != 0) {
                // High bit of each byte set iff that byte is non-zero.
                long t = ((v & low7) + low7) | v;
                count += Long.bitCount(t & ~low7);
            }
        }
        for (; i < n; i++) {
            if (b[from + i] != 0) {
                count++;
            }
        }
        return count;
    }

    /** The bit depths the PNG specification allows for a colour type (table 11.1). */
    private static boolean validDepth(int colorType, int bitDepth) {
        return switch (colorType) {
            case 0 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
            case 3 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
            case 2, 4, 6 -> bitDepth == 8 || bitDepth == 16;
            default -> false;
        };
    }

    private static int sample(byte[] b, int p, int bytes) {
        return bytes == 1 ? b[p] & 0xff : ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }

    /** The PNGs this reader does not decode itself (interlaced, or not 8-bit gray for images), by ImageIO. */
    private BufferedImage decodeWithImageIo(Path file, byte[] data) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(data));
        } catch (IOException | RuntimeException e) {
            throw new PngFormatException(file, "corrupted PNG (" + e.getMessage() + ")");
        }
        if (image == null) {
            throw new PngFormatException(file, "cannot decode this PNG");
        }
        width = image.getWidth();
        height = image.getHeight();
        return image;
    }

    private long readWithImageIo(Path file, byte[] data, boolean keepMask) throws IOException {
        BufferedImage image = decodeWithImageIo(file, data);
        Raster r = image.getRaster();
        byte[] bits = new byte[width * height];
        long count = 0;
        int bands = r.getNumBands();
        int[] px = new int[bands];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                r.getPixel(x, y, px);
                if (bands >= 3 && (px[0] != px[1] || px[0] != px[2])) {
                    throw new PngFormatException(file, "not a single-channel mask: pixel (" + x + ", " + y
                            + ") has R, G, B = " + px[0] + ", " + px[1] + ", " + px[2]);
                }
                if (px[0] != 0) {
                    bits[y * width + x] = 1;
                    count++;
                }
            }
        }
        mask = keepMask ? bits : null;
        return count;
    }

    private long readGrayWithImageIo(Path file, byte[] data) throws IOException {
        BufferedImage image = decodeWithImageIo(file, data);
        BufferedImage g = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        g.getGraphics().drawImage(image, 0, 0, null);
        gray = ((java.awt.image.DataBufferByte) g.getRaster().getDataBuffer()).getData();
        return 0;
    }

    private static boolean startsWithSignature(byte[] data) {
        for (int i = 0; i < 8; i++) {
            if (data[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    private static int readInt(byte[] b, int p) {
        return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }

    private static String chunkName(int type) {
        return new String(new char[] {(char) (type >>> 24), (char) ((type >>> 16) & 0xff),
                (char) ((type >>> 8) & 0xff), (char) (type & 0xff)});
    }
}
