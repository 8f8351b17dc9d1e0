package calfkit.data.phantom;

import calfkit.config.Scale;

/**
 * What the phantom generator makes.
 *
 * @param patients          number of patients (3D volumes)
 * @param slicesPerPatient  axial slices per patient
 * @param size              image side in pixels (256 as the paper's data)
 * @param tumourFraction    fraction of all slices that show tumour (the paper's data: 0.409)
 * @param areas             distribution of tumour areas, as a fraction of {@code maxAreaFraction}
 * @param maxAreaFraction   largest tumour area as a fraction of the image
 * @param bias              annotation bias of the masks
 * @param biasPixels        dilation margin for {@link AnnotationBias#DILATED}
 * @param seed              everything is deterministic for a seed
 */
public record PhantomConfig(int patients, int slicesPerPatient, int size, double tumourFraction, TumourAreas areas,
                            double maxAreaFraction, AnnotationBias bias, int biasPixels, long seed) {

    public PhantomConfig {
        if (patients < 1 || slicesPerPatient < 1) {
            throw new IllegalArgumentException("patients and slices per patient must be ≥ 1, got " + patients + " and "
                    + slicesPerPatient);
        }
        if (size < 16) {
            throw new IllegalArgumentException("image size must be ≥ 16 pixels, got " + size);
        }
        if (!(tumourFraction >= 0 && tumourFraction <= 1)) {
            throw new IllegalArgumentException("tumour fraction must be in [0, 1], got " + tumourFraction);
        }
        if (!(maxAreaFraction > 0 && maxAreaFraction <= 0.5)) {
            throw new IllegalArgumentException("max area fraction must be in (0, 0.5], got " + maxAreaFraction);
        }
    }

    /** Right-skewed areas (many small tumour slices, few large ones), like the paper's data. */
    public static final TumourAreas DEFAULT_AREAS = TumourAreas.beta(1.2, 4);

    /** The embedded default dataset at a scale: patients × slices × size. */
    public static PhantomConfig forScale(Scale scale) {
        return switch (scale) {
            case SMOKE -> new PhantomConfig(6, 16, 64, 0.409, DEFAULT_AREAS, 0.15, AnnotationBias.EXACT, 2, 12345);
            case QUICK -> new PhantomConfig(40, 32, 48, 0.409, DEFAULT_AREAS, 0.15, AnnotationBias.EXACT, 2, 12345);
            case FULL -> new PhantomConfig(200, 96, 256, 0.409, DEFAULT_AREAS, 0.15, AnnotationBias.EXACT, 3, 12345);
        };
    }

    public PhantomConfig withPatients(int patients, int slicesPerPatient) {
        return new PhantomConfig(patients, slicesPerPatient, size, tumourFraction, areas, maxAreaFraction, bias, biasPixels, seed);
    }

    public PhantomConfig withSize(int size) {
        return new PhantomConfig(patients, slicesPerPatient, size, tumourFraction, areas, maxAreaFraction, bias, biasPixels, seed);
    }

    public PhantomConfig withTumourFraction(double f) {
        return new PhantomConfig(patients, slicesPerPatient, size, f, areas, maxAreaFraction, bias, biasPixels, seed);
    }

    public PhantomConfig withAreas(TumourAreas a) {
        return new PhantomConfig(patients, slicesPerPatient, size, tumourFraction, a, maxAreaFraction, bias, biasPixels, seed);
    }

    public PhantomConfig withBias(AnnotationBias b, int pixels) {
        return new PhantomConfig(patients, slicesPerPatient, size, tumourFraction, areas, maxAreaFraction, b, pixels, seed);
    }

    public PhantomConfig withSeed(long s) {
        return new PhantomConfig(patients, slicesPerPatient, size, tumourFraction, areas, maxAreaFraction, bias, biasPixels, s);
    }

    @Override
    public String toString() {
        return String.format("%d patients x %d slices of %dx%d, tumour fraction %.3f, areas %s (max %.0f%% of the image), "
                + "annotation %s, seed %d", patients, slicesPerPatient, size, size, tumourFraction, areas.describe(),
                100 * maxAreaFraction, bias.name().toLowerCase(), seed);
    }
}
