package calfkit.data;

import java.util.List;

/**
 * Which slices a run trains, validates and tests on: a patient-level split of the dataset (10 % of the patients for
 * test; of the rest, 10 % of the patients for validation, both seeded), then the tumour-ratio sampler on the
 * training side. The same for the same dataset, ratio and data seed, whether training or evaluating later, and so the
 * same for every training seed and every loss of a grid. With fewer than 3 training patients nothing can be set
 * aside: the validation set is then the test set (the run's log says so).
 *
 * @param split      the patient split of the whole dataset (its test side is the run's test set)
 * @param validation the validation slices (the best epoch is chosen on them)
 * @param sample     the training sample at the asked tumour ratio
 * @param validationIsTrained whether the validation slices are training slices (the authors' split keeps no
 *                   validation set: their curves, and the best epoch where a protocol chooses one, are then
 *                   measured on slices the run trains on)
 */
public record RunData(PatientSplit split, List<Slice> validation, TumourRatioSampler.Sample sample,
                      boolean validationIsTrained) {

    /**
     * What the split keeps together: a patient's slices (the kit's); nothing, 10 % of all slices drawn at random
     * ({@code slices}: the kit's first reading of the authors' split, kept for the runs made with it and for notebook
     * 08's comparison, which keeps a held-out validation set); or nothing, but the same share of every patient's
     * slices ({@code slices-per-patient}: the authors' split, every non-test slice trained on).
     */
    public enum SplitUnit {
        PATIENT("patients"), SLICE("slices"), SLICE_PER_PATIENT("slices-per-patient");

        private final String label;

        SplitUnit(String label) {
            this.label = label;
        }

        /** The name on the command line and in grid files: "patients", "slices". */
        public String label() {
            return label;
        }

        /**
         * The unit of a name ("patients", "slices"; "patient", "slice" too, case-insensitively).
         *
         * @param source what the value came from, for the error ("--split")
         * @throws IllegalArgumentException naming the value and the valid ones
         */
        public static SplitUnit parse(String value, String source) {
            String v = value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT);
            for (SplitUnit u : values()) {
                if (u.label.equals(v) || u.label.equals(v + "s")) {
                    return u;
                }
            }
            throw new IllegalArgumentException(source + "='" + value + "' is not a split unit; expected patients, slices or "
                    + "slices-per-patient");
        }
    }

    /**
     * The kit's run data: split by patient.
     *
     * @param ratio    tumour-slice ratio of the training sample; NaN keeps the natural ratio
     * @param dataSeed seeds the split and the sampler
     */
    public static RunData of(SliceIndex index, double ratio, long dataSeed) {
        return of(index, ratio, dataSeed, SplitUnit.PATIENT);
    }

    /**
     * Run data split by patient or by slice: {@link PatientSplit#bySlice}, test and validation 10 % of the slices
     * each, drawn from every patient; {@link PatientSplit#perPatient}, 10 % of every patient's slices for test and
     * every other slice trained on, as the authors (they keep no validation set and test the last epoch): the curves
     * are drawn on 10 % of each patient's training slices, which the run also trains on.
     */
    public static RunData of(SliceIndex index, double ratio, long dataSeed, SplitUnit unit) {
        if (unit == SplitUnit.SLICE_PER_PATIENT) {
            PatientSplit split = PatientSplit.perPatient(index, PatientSplit.DEFAULT_TEST_FRACTION, dataSeed);
            List<Slice> curves = PatientSplit.perPatient(new SliceIndex(index.root(), split.train()), 0.1, dataSeed + 1).test();
            return new RunData(split, curves, TumourRatioSampler.sample(split.train(), ratio, dataSeed), true);
        }
        if (unit == SplitUnit.SLICE) {
            PatientSplit split = PatientSplit.bySlice(index, PatientSplit.DEFAULT_TEST_FRACTION, dataSeed);
            PatientSplit inner = PatientSplit.bySlice(new SliceIndex(index.root(), split.train()), 0.1, dataSeed + 1);
            return new RunData(split, inner.test(), TumourRatioSampler.sample(inner.train(), ratio, dataSeed), false);
        }
        PatientSplit split = PatientSplit.of(index, PatientSplit.DEFAULT_TEST_FRACTION, dataSeed);
        SliceIndex trainSide = new SliceIndex(index.root(), split.train());
        List<Slice> train;
        List<Slice> validation;
        if (split.trainPatients().size() >= 3) {
            PatientSplit inner = PatientSplit.of(trainSide, 0.1, dataSeed + 1);
            train = inner.train();
            validation = inner.test();
        } else {
            train = split.train();
            validation = split.test();
        }
        return new RunData(split, validation, TumourRatioSampler.sample(train, ratio, dataSeed), false);
    }
}
