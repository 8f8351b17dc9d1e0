package calfkit.data.phantom;

import java.awt.geom.Path2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.image.png.PngWriter;

/**
 * A synthetic phantom-MRI dataset: patients × axial slices that look like brain FLAIR slices (head and
 * brain outline, grey/white-matter texture, ventricles, a smooth bias field, noise), with tumours of
 * irregular outline that grow and shrink across neighbouring slices, surrounded by brighter oedema, and
 * tumour-free slices. Deterministic for the config's seed.
 *
 * <p>Tumour areas follow the config's {@link TumourAreas} by stratified quantiles; each patient's tumour
 * slices are contiguous and their areas rise to a peak and fall again. Masks carry the config's
 * {@link AnnotationBias}. Slices are rendered in parallel, one patient per task.
 */
public final class PhantomGenerator {

    /** Smallest tumour, in pixels: a tumour slice always has some foreground. */
    static final int MIN_AREA = 12;

    /**
     * The folder beside {@code masks/} that holds each slice's true tumour (0/1 PNG) when the masks carry an
     * annotation bias ({@link AnnotationBias#DILATED}, {@link AnnotationBias#POLYGON}); exact masks have none.
     */
    public static final String TRUTH = "truth";

    /** One rendered slice: 8-bit image, 0/1 mask, the mask's area, and the true tumour (null when the mask is exact). */
    public record Rendered(byte[] image, byte[] mask, long area, byte[] truth) {
    }

    /** The true-tumour file of a slice of a biased phantom dataset ({@link #TRUTH}), beside its mask. */
    public static Path truthPath(SliceIndex index, Slice s) throws IOException {
        Path mask = index.maskPath(s);
        return mask.getParent().resolveSibling(TRUTH).resolve(mask.getFileName());
    }

    private final PhantomConfig config;
    /** Target tumour area per (patient, slice); 0 for a tumour-free slice. */
    private final double[][] targetArea;
    private final float[] noise;

    public PhantomGenerator(PhantomConfig config) {
        this.config = config;
        this.targetArea = plan(config);
        Random r = new Random(config.seed() ^ 0x5DEECE66DL);
        noise = new float[1 << 16];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) r.nextGaussian();
        }
    }

    public PhantomConfig config() {
        return config;
    }

    /** The target tumour areas (pixels) the plan gives each slice of a patient; 0 = no tumour. */
    public double[] plannedAreas(int patient) {
        return targetArea[patient].clone();
    }

    private static double[][] plan(PhantomConfig c) {
        Random random = new Random(c.seed());
        int total = c.patients() * c.slicesPerPatient();
        int nTumour = (int) Math.round(total * c.tumourFraction());
        double maxArea = c.maxAreaFraction() * c.size() * c.size();
        List<Double> areas = new ArrayList<>();
        for (int i = 0; i < nTumour; i++) {
            double q = c.areas().quantile((i + 0.5) / nTumour);
            areas.add(Math.max(MIN_AREA, q * maxArea));
        }
        Collections.shuffle(areas, random);
        // Deal the tumour slices out to patients as evenly as the slice count allows.
        int[] perPatient = new int[c.patients()];
        for (int i = 0; i < nTumour; i++) {
            perPatient[i % c.patients()]++;
        }
        double[][] plan = new double[c.patients()][c.slicesPerPatient()];
        int next = 0;
        for (int p = 0; p < c.patients(); p++) {
            int k = perPatient[p];
            double[] mine = new double[k];
            for (int i = 0; i < k; i++) {
                mine[i] = areas.get(next++);
            }
            Arrays.sort(mine);
            // Rise to the largest area and fall again: smallest at both ends of the tumour's extent.
            double[] profile = new double[k];
            int left = 0;
            int right = k - 1;
            for (int i = 0; i < k; i++) {
                if (i % 2 == 0) {
                    profile[left++] = mine[i];
                } else {
                    profile[right--] = mine[i];
                }
            }
            int start = k >= c.slicesPerPatient() ? 0 : random.nextInt(c.slicesPerPatient() - k + 1);
            System.arraycopy(profile, 0, plan[p], start, k);
        }
        return plan;
    }

    /** Renders one slice. */
    public Rendered render(int patient, int slice) {
        Anatomy a = new Anatomy(config, patient);
        return a.render(slice, targetArea[patient][slice], noise);
    }

    /**
     * Writes the dataset in the kit's slice layout (see {@link SliceIndex}) with its index and a
     * {@code phantom.txt} that records the config.
     *
     * @param force allow writing into an existing non-empty folder (files of the same names are replaced)
     * @throws IOException when {@code out} exists and is not empty and {@code force} is false
     */
    public SliceIndex generate(Path out, boolean force) throws IOException {
        if (Files.isDirectory(out) && !force) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(out + ": exists and is not empty; choose a new folder (nothing was overwritten)");
                }
            }
        }
        Files.createDirectories(out);
        int size = config.size();
        Slice[][] slices = new Slice[config.patients()][config.slicesPerPatient()];
        ThreadLocal<PngWriter> writers = ThreadLocal.withInitial(PngWriter::new);
        try {
            IntStream.range(0, config.patients()).parallel().forEach(p -> {
                String patient = String.format("P%04d", p + 1);
                try {
                    Path images = Files.createDirectories(out.resolve(patient).resolve("images"));
                    Path masks = Files.createDirectories(out.resolve(patient).resolve("masks"));
                    Path truth = config.bias() == AnnotationBias.EXACT ? null
                            : Files.createDirectories(out.resolve(patient).resolve(TRUTH));
                    Anatomy anatomy = new Anatomy(config, p);
                    PngWriter w = writers.get();
                    for (int z = 0; z < config.slicesPerPatient(); z++) {
                        Rendered r = anatomy.render(z, targetArea[p][z], noise);
                        String name = String.format("%04d.png", z);
                        w.write(images.resolve(name), r.image(), size, size);
                        w.writeMask(masks.resolve(name), r.mask(), size, size);
                        if (truth != null) {
                            w.writeMask(truth.resolve(name), r.truth(), size, size);
                        }
                        slices[p][z] = new Slice(patient, z, patient + "/images/" + name, patient + "/masks/" + name,
                                r.area(), size, size);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Files.writeString(out.resolve("phantom.txt"), "CALF Kit synthetic phantom-MRI dataset\n" + config + "\n");
        SliceIndex index = new SliceIndex(out, Arrays.stream(slices).flatMap(Arrays::stream).toList());
        index.write();
        return index;
    }

    /** One patient's head, brain and tumour, from which every slice is rendered. */
    private static final class Anatomy {
        private final PhantomConfig c;
        private final int size;
        private final float cx;
        private final float cy;
        private final float headA;
        private final float headB;
        private final float[] texture;
        private final float biasX;
        private final float biasY;
        private final float tumourX;
        private final float tumourY;
        private final double[] harmonics = new double[4];
        private final double[] phases = new double[4];
        private final double slicePhaseDrift;
        private final long seed;

        Anatomy(PhantomConfig c, int patient) {
            this.c = c;
            this.size = c.size();
            this.seed = c.seed() * 1_000_003L + patient;
            Random r = new Random(seed);
            cx = size * (0.5f + 0.03f * (float) r.nextGaussian());
            cy = size * (0.5f + 0.03f * (float) r.nextGaussian());
            headA = size * (0.38f + 0.03f * r.nextFloat());
            headB = size * (0.45f + 0.03f * r.nextFloat());
            biasX = 0.3f * (r.nextFloat() - 0.5f);
            biasY = 0.3f * (r.nextFloat() - 0.5f);
            double angle = 2 * Math.PI * r.nextDouble();
            double rho = 0.15 + 0.35 * r.nextDouble();
            tumourX = (float) (cx + rho * headA * 0.8 * Math.cos(angle));
            tumourY = (float) (cy + rho * headB * 0.8 * Math.sin(angle));
            for (int k = 0; k < harmonics.length; k++) {
                harmonics[k] = 0.04 + 0.10 * r.nextDouble() / (k + 1);
                phases[k] = 2 * Math.PI * r.nextDouble();
            }
            slicePhaseDrift = 0.1 + 0.2 * r.nextDouble();
            texture = texture(r, size);
        }

        /** Smooth random texture in [−1, 1]: a 9×9 random grid, bilinearly upsampled. */
        private static float[] texture(Random r, int size) {
            int g = 9;
            float[] grid = new float[g * g];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = 2 * r.nextFloat() - 1;
            }
            float[] t = new float[size * size];
            float scale = (g - 1f) / (size - 1f);
            for (int y = 0; y < size; y++) {
                float gy = y * scale;
                int y0 = Math.min((int) gy, g - 2);
                float fy = gy - y0;
                for (int x = 0; x < size; x++) {
                    float gx = x * scale;
                    int x0 = Math.min((int) gx, g - 2);
                    float fx = gx - x0;
                    float top = grid[y0 * g + x0] * (1 - fx) + grid[y0 * g + x0 + 1] * fx;
                    float bottom = grid[(y0 + 1) * g + x0] * (1 - fx) + grid[(y0 + 1) * g + x0 + 1] * fx;
                    t[y * size + x] = top * (1 - fy) + bottom * fy;
                }
            }
            return t;
        }

        /**
         * The outline factor at the angle whose cosine and sine are (c, s), without trigonometric calls:
         * sin(mθ + ψ) = sin(mθ)cos ψ + cos(mθ)sin ψ, with cos(mθ), sin(mθ) by complex multiplication.
         */
        private double outline(double c, double s, double[] cosPsi, double[] sinPsi) {
            double cm = c * c - s * s;   // m = 2
            double sm = 2 * c * s;
            double f = 1;
            for (int k = 0; k < harmonics.length; k++) {
                f += harmonics[k] * (sm * cosPsi[k] + cm * sinPsi[k]);
                double nc = cm * c - sm * s;
                sm = sm * c + cm * s;
                cm = nc;
            }
            return f;
        }

        Rendered render(int z, double targetArea, float[] noise) {
            int n = size * size;
            byte[] image = new byte[n];
            byte[] mask = new byte[n];
            byte[] truth = c.bias() == AnnotationBias.EXACT ? null : new byte[n];
            double zf = (z + 0.5) / c.slicesPerPatient();
            double dz = (zf - 0.5) / 0.62;
            float scale = (float) Math.sqrt(Math.max(0.15, 1 - dz * dz));
            float ha = headA * scale;
            float hb = headB * scale;
            float ba = ha * 0.86f;
            float bb = hb * 0.88f;
            boolean ventricles = Math.abs(zf - 0.5) < 0.22;
            float va = size * 0.05f * scale;
            float vb = size * 0.12f * scale;

            // Tumour geometry for this slice.
            double sumH2 = 0;
            double sumH = 0;
            for (double h : harmonics) {
                sumH2 += h * h;
                sumH += h;
            }
            double radius = targetArea > 0 ? Math.sqrt(targetArea / (Math.PI * (1 + 0.5 * sumH2))) : 0;
            radius = Math.min(radius, 0.45 * size);
            double phaseShift = z * slicePhaseDrift;
            double[] cosPsi = new double[harmonics.length];
            double[] sinPsi = new double[harmonics.length];
            for (int k = 0; k < harmonics.length; k++) {
                cosPsi[k] = Math.cos(phases[k] + phaseShift);
                sinPsi[k] = Math.sin(phases[k] + phaseShift);
            }
            double oedema = radius * 1.35 + 2;
            double inner = radius * (1 - sumH);
            double outerTumour = radius * (1 + sumH);
            Path2D.Double polygon = null;
            int margin = c.bias() == AnnotationBias.DILATED ? c.biasPixels() : 0;
            if (radius > 0 && c.bias() == AnnotationBias.POLYGON) {
                Random pr = new Random(seed * 31 + z);
                int vertices = 6 + pr.nextInt(3);
                polygon = new Path2D.Double();
                for (int i = 0; i < vertices; i++) {
                    double t = 2 * Math.PI * (i + 0.3 * pr.nextDouble()) / vertices;
                    double rr = radius * outline(Math.cos(t), Math.sin(t), cosPsi, sinPsi) * 1.08 + 1;
                    double px = tumourX + rr * Math.cos(t);
                    double py = tumourY + rr * Math.sin(t);
                    if (i == 0) {
                        polygon.moveTo(px, py);
                    } else {
                        polygon.lineTo(px, py);
                    }
                }
                polygon.closePath();
            }
            int noiseOffset = new Random(seed * 7919 + z).nextInt(noise.length);
            float noiseSigma = 5f;
            long area = 0;
            double reach = Math.max(oedema, outerTumour + margin + 2) * 1.2;
            for (int y = 0; y < size; y++) {
                float ey = (y - cy) / hb;
                float eby = (y - cy) / bb;
                float bias = 1 + biasY * (2f * y / size - 1);
                double ty = y + 0.5 - tumourY;
                for (int x = 0; x < size; x++) {
                    int i = y * size + x;
                    float ex = (x - cx) / ha;
                    float head = ex * ex + ey * ey;
                    float v;
                    if (head > 1) {
                        v = 0;
                    } else {
                        float ebx = (x - cx) / ba;
                        float brain = ebx * ebx + eby * eby;
                        float tex = texture[i];
                        if (brain > 1) {
                            v = head > 0.86f ? 120 + 30 * tex : 22;
                        } else {
                            v = 92 + 22 * tex + (tex > 0.2f ? 14 : 0);
                            if (ventricles) {
                                float vx1 = (x - cx + va * 1.2f) / va;
                                float vx2 = (x - cx - va * 1.2f) / va;
                                float vy = (y - cy) / vb;
                                if (vx1 * vx1 + vy * vy < 1 || vx2 * vx2 + vy * vy < 1) {
                                    v = 28;
                                }
                            }
                        }
                    }
                    if (radius > 0) {
                        double tx = x + 0.5 - tumourX;
                        double d2 = tx * tx + ty * ty;
                        if (d2 < reach * reach) {
                            double d = Math.sqrt(d2);
                            double boundary = d < inner ? Double.MAX_VALUE
                                    : radius * outline(tx / Math.max(d, 1e-9), ty / Math.max(d, 1e-9), cosPsi, sinPsi);
                            boolean inTumour = d < inner || d < boundary;
                            if (inTumour) {
                                v = 185 + 25 * texture[i];
                            } else if (d < oedema && head <= 1) {
                                v = Math.max(v, 150 + 20 * texture[i]);
                            }
                            boolean inMask = switch (c.bias()) {
                                case EXACT -> inTumour;
                                case DILATED -> d < inner + margin || d < boundary + margin;
                                case POLYGON -> polygon.contains(x + 0.5, y + 0.5);
                            };
                            if (inMask) {
                                mask[i] = 1;
                                area++;
                            }
                            if (inTumour && truth != null) {
                                truth[i] = 1;
                            }
                        }
                    }
                    v = v * (bias + biasX * (2f * x / size - 1));
                    if (v > 0) {
                        v += noiseSigma * noise[(noiseOffset + i * 7) & 0xffff];
                    }
                    image[i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
            return new Rendered(image, mask, area, truth);
        }
    }
}
