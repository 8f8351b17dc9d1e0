package calfkit.bench;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

import calfkit.image.png.PngReader;
import calfkit.stats.AreaScan;

/**
 * Benchmark of the area scan (issue: ≥ 20,000 masks/s per core and ≥ 5× a Python PIL + numpy peer).
 * Writes N 256×256 mask PNGs (40% empty, the rest one irregular blob) into a folder, then times one thread
 * of {@link PngReader#area} over all of them (best of 3 passes) and the parallel {@link AreaScan} without cache.
 * Prints "java_masks_per_s_per_core=..." lines that environment/benchmarks/run.sh sets beside the peer's.
 *
 * <pre>java calfkit.bench.AreaScanBenchmark DIR [N]</pre>
 */
public final class AreaScanBenchmark {

    private AreaScanBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        List<Path> files = writeMasks(dir, n, 256);
        PngReader reader = new PngReader();
        long checksum = 0;
        double best = Double.MAX_VALUE;
        for (int pass = 0; pass < 4; pass++) {
            long t0 = System.nanoTime();
            long sum = 0;
            for (Path f : files) {
                sum += reader.area(f);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            if (pass > 0) { // pass 0 warms up the JIT
                best = Math.min(best, secs);
            }
            checksum = sum;
        }
        long t0 = System.nanoTime();
        AreaScan.Result all = AreaScan.scan(dir, false);
        double parallel = (System.nanoTime() - t0) / 1e9;
        System.out.printf("masks=%d size=256x256 total_area=%d%n", files.size(), checksum);
        System.out.printf("java_masks_per_s_per_core=%.0f%n", files.size() / best);
        System.out.printf("java_masks_per_s_all_cores=%.0f (cores=%d, total_area=%.0f)%n", all.masks().size() / parallel,
                Runtime.getRuntime().availableProcessors(), java.util.Arrays.stream(all.areas()).sum());
    }

    /** N masks like a slice dataset's: 40% empty, the rest one blob of random size and outline. */
    static List<Path> writeMasks(Path dir, int n, int size) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(12345);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            if (random.nextDouble() >= 0.4) {
                WritableRaster r = img.getRaster();
                double cx = size * (0.3 + 0.4 * random.nextDouble());
                double cy = size * (0.3 + 0.4 * random.nextDouble());
                double radius = Math.exp(1 + 3 * random.nextDouble());
                double a1 = 0.3 * random.nextDouble();
                double phase = 6.3 * random.nextDouble();
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double dx = x - cx;
                        double dy = y - cy;
                        double rr = radius * (1 + a1 * Math.sin(3 * Math.atan2(dy, dx) + phase));
                        if (dx * dx + dy * dy < rr * rr) {
                            r.setSample(x, y, 0, 255);
                        }
                    }
                }
            }
            Path f = dir.resolve(String.format("mask-%05d.png", i));
            ImageIO.write(img, "png", f.toFile());
            files.add(f);
        }
        return files;
    }
}
