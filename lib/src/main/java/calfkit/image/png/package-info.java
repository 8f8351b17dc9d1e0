/**
 * The PNG codec of the slice datasets: {@link calfkit.image.png.PngReader} reads masks and 8-bit gray slices,
 * {@link calfkit.image.png.PngWriter} writes them, {@code Inflate} decodes their DEFLATE data.
 *
 * <p>Why a codec of its own: the area scan (CALF's dataset statistics, every mask read once) is the kit's hottest
 * loop. With {@link java.util.zip.Inflater} the scan read 6,052 masks/s/core, as fast as Python with PIL; zlib
 * copies a mask's long runs of one byte value byte by byte. {@code Inflate} makes a run one {@code Arrays.fill}:
 * 47,843 masks/s/core, 8.28× the PIL peer (environment/benchmarks/RESULTS.md, "area-scan"). The references the
 * tests compare against are ImageIO (decoded pixels) and {@link java.util.zip.Inflater} / {@link
 * java.util.zip.Deflater} (inflated bytes); interlaced PNGs are handed to ImageIO.
 *
 * <p>May use: the JDK only.
 */
package calfkit.image.png;
