package calfkit.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A train/test split of a slice dataset, deterministic for a seed, by default about 90/10 as the paper's Table 3.
 * {@link #of}: patient-level, every slice of a patient on one side, so no patient is seen in training and testing
 * (the kit's protocol). {@link #bySlice}: slice-level, a patient's slices on both sides, neighbouring slices of one
 * scan in training and test (the authors' protocol, inferred: their code reads folders split in advance, and Table
 * 3's 45 test images per patient imply it); {@link #perPatient}: the same share of every patient's slices (the
 * authors' rule, Table 3); the patient lists then overlap.
 */
public record PatientSplit(List<String> trainPatients, List<String> testPatients, List<Slice> train, List<Slice> test) {

    public static final double DEFAULT_TEST_FRACTION = 0.1;

    /** Splits the index's patients: round(n × testFraction) patients, at least 1, go to the test side. */
    public static PatientSplit of(SliceIndex index, double testFraction, long seed) {
        requireFraction(testFraction);
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

    /**
     * Splits the index's slices: round(n × testFraction) slices, at least 1, drawn at random go to the test side,
     * in the order drawn, so that batches of consecutive test slices are shuffled batches (the authors' test loader
     * is a {@code DistributedSampler} with {@code shuffle=True}); the training side keeps the index's order.
     */
    public static PatientSplit bySlice(SliceIndex index, double testFraction, long seed) {
        requireFraction(testFraction);
        List<Slice> slices = index.slices();
        if (slices.size() < 2) {
            throw new IllegalArgumentException(index.root() + ": a slice-level split needs at least 2 slices, found "
                    + slices.size());
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < slices.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int nTest = Math.max(1, Math.min(slices.size() - 1, (int) Math.round(slices.size() * testFraction)));
        return fromTestIndices(slices, order.subList(0, nTest));
    }

    /**
     * Splits every patient's slices: of a patient's n slices, round(n × testFraction), at least 1 and at most
     * n − 1 (none of a patient with one slice), drawn at random go to the test side: the CALF authors' test sets
     * hold the same number of slices of every patient (Table 3: 27,495 UPENN-GBM test images = 611 patients × 45,
     * 15 of each patient's volume per modality, about 10 % of its 155 slices) and they train on all the others. The
     * test slices come in a random order, as {@link #bySlice}'s; the training side keeps the index's order.
     */
    public static PatientSplit perPatient(SliceIndex index, double testFraction, long seed) {
        requireFraction(testFraction);
        Random random = new Random(seed);
        java.util.Map<String, List<Integer>> byPatient = new java.util.TreeMap<>();
        List<Slice> slices = index.slices();
        for (int i = 0; i < slices.size(); i++) {
            byPatient.computeIfAbsent(slices.get(i).patient(), p -> new ArrayList<>()).add(i);
        }
        List<Integer> test = new ArrayList<>();
        for (List<Integer> own : byPatient.values()) {
            int n = own.size();
            int nTest = n < 2 ? 0 : Math.max(1, Math.min(n - 1, (int) Math.round(n * testFraction)));
            Collections.shuffle(own, random);
            test.addAll(own.subList(0, nTest));
        }
        if (test.isEmpty()) {
            throw new IllegalArgumentException(index.root() + ": a per-patient slice split needs a patient with at least 2 "
                    + "slices; every patient has one");
        }
        Collections.shuffle(test, random);
        return fromTestIndices(slices, test);
    }

    private static void requireFraction(double testFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
    }

    /** The split whose test side is the slices at {@code test} (in that order); the training side keeps the index's order. */
    private static PatientSplit fromTestIndices(List<Slice> slices, List<Integer> test) {
        Set<Integer> testSet = Set.copyOf(test);
        List<Slice> train = new ArrayList<>();
        for (int i = 0; i < slices.size(); i++) {
            if (!testSet.contains(i)) {
                train.add(slices.get(i));
            }
        }
        List<Slice> testSlices = test.stream().map(slices::get).toList();
        return new PatientSplit(patients(train), patients(testSlices), List.copyOf(train), testSlices);
    }

    private static List<String> patients(List<Slice> slices) {
        return slices.stream().map(Slice::patient).distinct().sorted().toList();
    }

    @Override
    public String toString() {
        return String.format("train %d patients / %d slices (%d tumour), test %d patients / %d slices (%d tumour)",
                trainPatients.size(), train.size(), train.stream().filter(Slice::tumour).count(),
                testPatients.size(), test.size(), test.stream().filter(Slice::tumour).count());
    }
}
