package calfkit.image.nifti;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * A NIfTI-1 or NIfTI-2 image (.nii, or .nii.gz), read whole: its dimensions, voxel sizes, and its values
 * with the header's scaling applied ({@code value = scl_slope · stored + scl_inter} when scl_slope ≠ 0).
 *
 * <p>Supported: single-file images (magic {@code n+1} / {@code n+2}), either byte order (detected from the
 * header size, 348 or 540), data types uint8, int8, int16, uint16, int32, uint32, float32 and float64.
 * Values are stored x fastest, then y, z, t (NIfTI's order). Anything else is an error naming the file.
 */
public record NiftiVolume(Path file, long[] dims, double[] pixdim, int datatype, float[] data) {

    /** Size along axis 0 (x), 1 (y), 2 (z), 3 (t); 1 for axes the image does not have. */
    public int size(int axis) {
        return axis < dims.length ? (int) dims[axis] : 1;
    }

    /** The axial slice z (of volume t = 0) as nx × ny values, x fastest (row = y). */
    public float[] axialSlice(int z) {
        int nx = size(0);
        int ny = size(1);
        if (z < 0 || z >= size(2)) {
            throw new IndexOutOfBoundsException(file + ": slice " + z + " outside 0.." + (size(2) - 1));
        }
        return Arrays.copyOfRange(data, z * nx * ny, (z + 1) * nx * ny);
    }

    /** The system property that sets {@link #MAX_VOXELS}. */
    public static final String MAX_VOXELS_PROPERTY = "calf.nifti.maxVoxels";
    /**
     * The most voxels the reader accepts in one volume (default 2^27 = 512³, about 15× a BraTS volume of
     * 240×240×155), checked against the header before anything is allocated.
     */
    public static final long MAX_VOXELS = Math.min(Integer.MAX_VALUE - 8,
            Long.getLong(MAX_VOXELS_PROPERTY, 1L << 27));

    /** Reads a .nii or .nii.gz file. */
    public static NiftiVolume read(Path file) throws IOException {
        boolean gz = file.getFileName().toString().toLowerCase().endsWith(".gz");
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return read(file, in);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": corrupted gzip data (" + e.getMessage() + "); expected a .nii.gz NIfTI image", e);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated NIfTI file (the data ends before the header's dimensions are filled)", e);
        } catch (OutOfMemoryError e) {
            throw new IOException(file + ": its volume does not fit in this JVM's memory (" + e.getMessage()
                    + "); give the JVM more (-Xmx) or convert a smaller volume", e);
        }
    }

    private static NiftiVolume read(Path file, InputStream in) throws IOException {
        byte[] first = in.readNBytes(348);
        if (first.length < 348) {
            throw new IOException(file + ": too short for a NIfTI header (" + first.length + " bytes)");
        }
        ByteBuffer h = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN);
        int sizeof = h.getInt(0);
        if (sizeof != 348 && sizeof != 540) {
            h.order(ByteOrder.BIG_ENDIAN);
            sizeof = h.getInt(0);
            if (sizeof != 348 && sizeof != 540) {
                throw new IOException(file + ": not a NIfTI image (header size field is neither 348 nor 540)");
            }
        }
        long[] dims;
        double[] pixdim = new double[8];
        int datatype;
        long voxOffset;
        double slope;
        double inter;
        long read;
        if (sizeof == 348) {
            String magic = new String(first, 344, 3, java.nio.charset.StandardCharsets.US_ASCII);
            if (!magic.equals("n+1")) {
                throw new IOException(file + ": NIfTI-1 magic '" + magic + "'; expected 'n+1' (single-file .nii; "
                        + ".hdr/.img pairs are not supported)");
            }
            int rank = h.getShort(40);
            checkRank(file, rank);
            dims = new long[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = h.getShort(42 + 2 * i);
            }
            datatype = h.getShort(70);
            for (int i = 0; i < 8; i++) {
                pixdim[i] = h.getFloat(76 + 4 * i);
            }
            voxOffset = (long) h.getFloat(108);
            slope = h.getFloat(112);
            inter = h.getFloat(116);
            read = 348;
        } else {
            byte[] rest = in.readNBytes(540 - 348);
            if (rest.length < 540 - 348) {
                throw new IOException(file + ": too short for a NIfTI-2 header");
            }
            byte[] all = Arrays.copyOf(first, 540);
            System.arraycopy(rest, 0, all, 348, rest.length);
            h = ByteBuffer.wrap(all).order(h.order());
            String magic = new String(all, 4, 3, java.nio.charset.StandardCharsets.US_ASCII);
            if (!magic.equals("n+2")) {
                throw new IOException(file + ": NIfTI-2 magic '" + magic + "'; expected 'n+2'");
            }
            datatype = h.getShort(12);
            int rank = (int) h.getLong(16);
            checkRank(file, rank);
            dims = new long[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = h.getLong(24 + 8 * i);
            }
            for (int i = 0; i < 8; i++) {
                pixdim[i] = h.getDouble(104 + 8 * i);
            }
            voxOffset = h.getLong(168);
            slope = h.getDouble(176);
            inter = h.getDouble(184);
            read = 540;
        }
        long n = 1;
        for (long d : dims) {
            if (d < 1) {
                throw new IOException(file + ": dimension " + d + " in " + Arrays.toString(dims) + "; expected sizes ≥ 1");
            }
            n = d > MAX_VOXELS || n > MAX_VOXELS ? Long.MAX_VALUE : n * d;  // both below 2^31: no overflow
        }
        if (n > MAX_VOXELS) {
            // Checked before anything is read or allocated: a 1 MB .nii.gz may claim 10^9 voxels.
            throw new IOException(file + ": dimensions " + Arrays.toString(dims) + " are more voxels than the kit's limit "
                    + "of " + MAX_VOXELS + " per volume (raise it with -D" + MAX_VOXELS_PROPERTY + "=N)");
        }
        int bytes = switch (datatype) {
            case 2, 256 -> 1;
            case 4, 512 -> 2;
            case 8, 768, 16 -> 4;
            case 64 -> 8;
            default -> throw new IOException(file + ": NIfTI data type " + datatype + " is not supported; expected "
                    + "uint8 (2), int8 (256), int16 (4), uint16 (512), int32 (8), uint32 (768), float32 (16) or float64 (64)");
        };
        if (voxOffset < read) {
            voxOffset = read;
        }
        in.skipNBytes(voxOffset - read);
        byte[] raw = in.readNBytes((int) (n * bytes));
        if (raw.length < n * bytes) {
            throw new IOException(file + ": truncated NIfTI data (" + raw.length + " of " + n * bytes + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(h.order());
        float[] data = new float[(int) n];
        boolean scaled = slope != 0 && !Double.isNaN(slope) && !(slope == 1 && inter == 0);
        for (int i = 0; i < n; i++) {
            double v = switch (datatype) {
                case 2 -> raw[i] & 0xff;
                case 256 -> raw[i];
                case 4 -> b.getShort(2 * i);
                case 512 -> b.getShort(2 * i) & 0xffff;
                case 8 -> b.getInt(4 * i);
                case 768 -> b.getInt(4 * i) & 0xffffffffL;
                case 16 -> b.getFloat(4 * i);
                default -> b.getDouble(8 * i);
            };
            data[i] = (float) (scaled ? slope * v + inter : v);
        }
        return new NiftiVolume(file, dims, pixdim, datatype, data);
    }

    private static void checkRank(Path file, int rank) throws IOException {
        if (rank < 1 || rank > 7) {
            throw new IOException(file + ": dim[0] = " + rank + "; expected 1..7 dimensions");
        }
    }
}
