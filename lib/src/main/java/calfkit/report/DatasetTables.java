package calfkit.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import calfkit.data.PatientSplit;
import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.stats.AreaDistribution;
import calfkit.stats.BranchDecision;
import calfkit.stats.EmptyMasks;
import calfkit.stats.Rule;

/** Tables about a dataset for the notebooks; every number measured by this kit on the dataset at hand. */
public final class DatasetTables {

    private DatasetTables() {
    }

    /** Patients, slices, tumour and empty slices and the tumour ratio of each side of a split. */
    public static Table splits(PatientSplit split) {
        StringColumn side = StringColumn.create("split", "train", "test");
        IntColumn patients = IntColumn.create("patients", split.trainPatients().size(), split.testPatients().size());
        IntColumn slices = IntColumn.create("slices", split.train().size(), split.test().size());
        int trainT = (int) split.train().stream().filter(Slice::tumour).count();
        int testT = (int) split.test().stream().filter(Slice::tumour).count();
        IntColumn tumour = IntColumn.create("tumour slices", trainT, testT);
        IntColumn empty = IntColumn.create("empty slices", split.train().size() - trainT, split.test().size() - testT);
        DoubleColumn ratio = DoubleColumn.create("tumour ratio", (double) trainT / split.train().size(),
                (double) testT / split.test().size());
        return Table.create("patient-level split (measured)", side, patients, slices, tumour, empty, ratio);
    }

    /** The area statistics and CALF branch with empty masks included and excluded. */
    public static Table statistics(long[] areas, String name) {
        StringColumn policy = StringColumn.create("empty masks");
        IntColumn n = IntColumn.create("n");
        DoubleColumn mean = DoubleColumn.create("mean");
        DoubleColumn std = DoubleColumn.create("σ");
        DoubleColumn skew = DoubleColumn.create("skewness S");
        DoubleColumn kurt = DoubleColumn.create("kurtosis K");
        StringColumn branch = StringColumn.create("CALF branch");
        StringColumn rule = StringColumn.create("rule");
        for (EmptyMasks e : EmptyMasks.values()) {
            BranchDecision d = BranchDecision.of(AreaDistribution.of(areas, e));
            policy.append(e == EmptyMasks.INCLUDE ? "included (paper's wording)" : "excluded");
            n.append(d.distribution().n());
            mean.append(d.distribution().mean());
            std.append(d.distribution().std());
            skew.append(d.skewness());
            kurt.append(d.kurtosis());
            branch.append(d.branch().label());
            rule.append(d.rule().condition());
        }
        return Table.create(name + " (measured)", policy, n, mean, std, skew, kurt, branch, rule);
    }

    /**
     * CALF's per-batch scope on a training set: the branch chosen for each of its batches (areas from the
     * index, shuffled with a seed), counted, with how often it changes from one batch to the next.
     */
    public static Table perBatchBranches(List<Slice> train, int batch, long seed, EmptyMasks empty) {
        List<Slice> shuffled = new ArrayList<>(train);
        java.util.Collections.shuffle(shuffled, new Random(seed));
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Rule r : Rule.values()) {
            counts.put(r.branch().label() + " (" + r.condition() + ")", 0);
        }
        int changes = 0;
        String previous = null;
        int batches = 0;
        for (int from = 0; from + batch <= shuffled.size(); from += batch) {
            long[] areas = shuffled.subList(from, from + batch).stream().mapToLong(Slice::area).toArray();
            BranchDecision d = BranchDecision.of(areas, empty);
            String key = d.branch().label() + " (" + d.rule().condition() + ")";
            counts.merge(key, 1, Integer::sum);
            if (previous != null && !previous.equals(d.branch().label())) {
                changes++;
            }
            previous = d.branch().label();
            batches++;
        }
        StringColumn rule = StringColumn.create("branch (rule)");
        IntColumn n = IntColumn.create("batches");
        DoubleColumn share = DoubleColumn.create("share");
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > 0) {
                rule.append(e.getKey());
                n.append(e.getValue());
                share.append((double) e.getValue() / batches);
            }
        }
        return Table.create(String.format("per-batch CALF over %d batches of %d: the branch changed %d times (%.0f%%) "
                + "(measured)", batches, batch, changes, batches > 1 ? 100.0 * changes / (batches - 1) : 0), rule, n, share);
    }

    /** The distribution and branch of a dataset from its index. */
    public static BranchDecision decision(SliceIndex index, EmptyMasks empty) {
        return BranchDecision.of(AreaDistribution.of(index.areas(), empty));
    }
}
