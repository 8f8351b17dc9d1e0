package calfkit.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import calfkit.image.DistanceMaps;
import calfkit.image.png.PngReader;

/**
 * Benchmark of the boundary losses' distance-map step: the signed distance map of N 256×256 mask PNGs
 * (the masks of the area-scan benchmark), ms per mask on one core, best of 3 passes after a warm-up.
 * environment/benchmarks/run.sh runs SciPy's distance_transform_edt on the same masks in the same invocation.
 *
 * <pre>java calfkit.bench.DistanceMapBenchmark DIR [N]</pre>
 */
public final class DistanceMapBenchmark {

    private DistanceMapBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        List<Path> files = AreaScanBenchmark.writeMasks(dir, n, 256);
        PngReader reader = new PngReader();
        List<float[]> masks = new ArrayList<>();
        for (Path f : files) {
            byte[] bits = reader.read(f);
            float[] m = new float[bits.length];
            for (int i = 0; i < bits.length; i++) {
                m[i] = bits[i];
            }
            masks.add(m);
        }
        double best = Double.MAX_VALUE;
        double checksum = 0;
        for (int pass = 0; pass < 4; pass++) {
            long t0 = System.nanoTime();
            double sum = 0;
            for (float[] m : masks) {
                float[] phi = DistanceMaps.signed(m, 256, 256);
                sum += phi[128 * 256 + 128];
            }
            double ms = (System.nanoTime() - t0) / 1e6 / masks.size();
            if (pass > 0) {
                best = Math.min(best, ms);
            }
            checksum = sum;
        }
        System.out.printf("masks=%d size=256x256 checksum=%.3f%n", masks.size(), checksum);
        System.out.printf("java_ms_per_mask=%.3f%n", best);
    }
}
