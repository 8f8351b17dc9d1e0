package calfkit.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A patient-level train/test split: every slice of a patient is on one side, so no patient is seen in
 * training and testing. Deterministic for a seed. Default about 90/10, as the paper's Table 3.
 */
public record PatientSplit(List<String> trainPatients, List<String> testPatients, List<Slice> train, List<Slice> test) {

    public static final double DEFAULT_TEST_FRACTION = 0.1;

    /** Splits the index's patients: round(n × testFraction) patients, at least 1, go to the test side. */
    public static PatientSplit of(SliceIndex index, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
        List<String> patients = new ArrayList<>(index.patients());
        if (patients.size() < 2) {
            throw new IllegalArgumentException(index.root() + ": a patient-level split needs at least 2 patients, found "
                    + patients.size());
        }
        Collections.shuffle(patients, new Random(seed));
        int nTest = Math.max(1, Math.min(patients.size() - 1, (int) Math.round(patients.size() * testFraction)));
        List<String> test = patients.subList(0, nTest).stream().sorted().toList();
        List<String> train = patients.subList(nTest, patients.size()).stream().sorted().toList();
        Set<String> testSet = Set.copyOf(test);
        List<Slice> trainSlices = index.slices().stream().filter(s -> !testSet.contains(s.patient())).toList();
        List<Slice> testSlices = index.slices().stream().filter(s -> testSet.contains(s.patient())).toList();
        return new PatientSplit(train, test, trainSlices, testSlices);
    }

    @Override
    public String toString() {
        return String.format("train %d patients / %d slices (%d tumour), test %d patients / %d slices (%d tumour)",
                trainPatients.size(), train.size(), train.stream().filter(Slice::tumour).count(),
                testPatients.size(), test.size(), test.stream().filter(Slice::tumour).count());
    }
}
