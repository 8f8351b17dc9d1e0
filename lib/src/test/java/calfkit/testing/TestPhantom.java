package calfkit.testing;

import java.io.IOException;
import java.nio.file.Path;

import calfkit.config.Scale;
import calfkit.data.SliceIndex;
import calfkit.data.phantom.PhantomConfig;
import calfkit.data.phantom.PhantomGenerator;

/** The tests' small training data: the smoke phantom with 32×32 slices, generated into a test's folder. */
public final class TestPhantom {

    private TestPhantom() {
    }

    /** The smoke phantom's settings with {@code patients} patients of {@code slicesPerPatient} 32×32 slices. */
    public static PhantomConfig config(int patients, int slicesPerPatient) {
        return PhantomConfig.forScale(Scale.SMOKE).withPatients(patients, slicesPerPatient).withSize(32);
    }

    /** Generates {@code config} into {@code dir} and returns its index. */
    public static SliceIndex generate(PhantomConfig config, Path dir) throws IOException {
        return new PhantomGenerator(config).generate(dir, false);
    }

    /** Generates {@link #config}{@code (patients, slicesPerPatient)} into {@code dir}. */
    public static SliceIndex generate(int patients, int slicesPerPatient, Path dir) throws IOException {
        return generate(config(patients, slicesPerPatient), dir);
    }
}
