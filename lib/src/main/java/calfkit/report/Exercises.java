package calfkit.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import calfkit.loss.SegmentationLoss;
import calfkit.stats.AreaDistribution;
import calfkit.stats.Branch;
import calfkit.stats.EmptyMasks;
import calfkit.stats.Rule;

/**
 * The checks of the teaching exercises (notebook {@code 10-exercises}): each compares a student's answer with a
 * value computed here (S and K with the kit's {@link AreaDistribution}, which is tested against scipy; the weighted
 * BCE pixel by pixel in double precision), prints "✓ right" or "✗ not yet" with a hint, and remembers the result.
 * {@link #score()} sums them up; {@link #requireAllRight()} fails, naming the exercises, where a check did not pass: the worked solutions
 * ({@code notebooks/solutions/10-exercises.ipynb}) end with it, and the test command executes them, so that the
 * exercises cannot rot.
 */
public final class Exercises {

    /** The positive-class weight of exercise 5's loss. */
    public static final double POSITIVE_WEIGHT = 3;

    private final Map<String, Boolean> results = new LinkedHashMap<>();

    /** Exercise 1: the skewness S and excess kurtosis K of {@code areas} (population moments, as Table 2 uses). */
    public String moments(long[] areas, double s, double k) {
        double[] sk = populationMoments(areas);
        boolean right = close(s, sk[0], 1e-3) && close(k, sk[1], 1e-3);
        String hint = "S = m3 / m2^1.5 and K = m4 / m2^2 − 3, where mj is the mean of (area − mean)^j over all n areas "
                + "(divided by n, as scipy.stats.skew and kurtosis do by default)";
        if (!right && Double.isFinite(s) && close(s, sampleSkewness(areas), 1e-3)) {
            hint = "your S is the sample (bias-corrected) skewness; Table 2's rule uses the population one: divide by n";
        }
        return record("1 · moments", right, hint);
    }

    /** Exercise 2: the branch Table 2 gives for (S, K) of {@code which} masks ("tumour masks", "all masks"). */
    public String branch(String which, double s, double k, Branch answer) {
        Branch want = Rule.select(s, k).branch();
        return record("2 · branch, " + which, answer != null && want == answer, "read Table 2 row by row: the sign of S first, "
                + "then its size; K only decides between the two rows with 0 < S ≤ 0.5");
    }

    /** Exercise 3: Log10's loss divided by BCE's on the same logits and masks. */
    public String log10OverBce(double ratio) {
        return record("3 · Log10 / BCE", close(ratio, 1 / Math.log(10), 1e-4),
                "log10(p) = ln(p) / ln 10, so every pixel's Log10 loss is its BCE divided by ln 10 ≈ 2.3026 (the "
                        + "clamp at 1e-7 only matters beyond |logit| ≈ 16)");
    }

    /** Exercise 4: masks' areas left-skewed enough that the rule picks Fisher (S ≤ −1). */
    public String fisherAreas(long[] areas) {
        boolean right = areas != null && areas.length >= 3;
        double s = Double.NaN;
        if (right) {
            double[] sk = populationMoments(areas);
            s = sk[0];
            right = Rule.select(sk[0], sk[1]).branch() == Branch.FISHER;
        }
        return record("4 · a Fisher dataset", right, "your areas have S = " + fmt(s) + "; left skew needs a long tail "
                + "of small areas: most masks near the largest area and a few much smaller (and no empty ones)");
    }

    /** Exercise 5: a weighted BCE, −mean[w·y·ln p + (1 − y)·ln(1 − p)] with w = {@value #POSITIVE_WEIGHT}. */
    public String weightedBce(SegmentationLoss loss) {
        if (loss == null) {
            return record("5 · weighted BCE", false, "write the class in the cell above");
        }
        Random random = new Random(5);
        int n = 2 * 8 * 8;
        float[] logits = new float[n];
        float[] target = new float[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            logits[i] = (float) (3 * random.nextGaussian());
            target[i] = (i % 64) / 8 >= 2 && (i % 64) / 8 < 5 && i % 8 >= 3 ? 1 : 0;
            double p = 1 / (1 + Math.exp(-logits[i]));
            sum += target[i] == 1 ? POSITIVE_WEIGHT * Math.log(p) : Math.log(1 - p);
        }
        double want = -sum / n;
        double got;
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(2, 1, 8, 8);
            NDArray value = loss.fromLogits(m.create(logits, shape), m.create(target, shape));
            got = value.getShape().size() == 1 ? value.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble()
                    : Double.NaN;
        }
        return record("5 · weighted BCE", close(got, want, 1e-4 * Math.max(1, Math.abs(want))),
                String.format(Locale.ROOT, "on the check's batch your loss gives %s, the formula %.4f: return one number, "
                        + "the mean over every pixel, with the weight on the tumour pixels' term only", fmt(got), want));
    }

    /** "3 of 5 exercises right", and the ones still to do. */
    public String score() {
        long right = results.values().stream().filter(b -> b).count();
        String todo = results.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey)
                .reduce((a, b) -> a + ", " + b).orElse("none");
        return right + " of " + results.size() + " exercises right; still to do: " + todo;
    }

    /** The checks so far as a table: exercise, result; its name is {@link #score()}. */
    public tech.tablesaw.api.Table table() {
        tech.tablesaw.api.StringColumn exercise = tech.tablesaw.api.StringColumn.create("exercise");
        tech.tablesaw.api.StringColumn result = tech.tablesaw.api.StringColumn.create("result");
        results.forEach((name, right) -> {
            exercise.append(name);
            result.append(right ? "✓ right" : "✗ not yet");
        });
        return tech.tablesaw.api.Table.create(score(), exercise, result);
    }

    /** @throws IllegalStateException naming the exercises whose check did not pass */
    public void requireAllRight() {
        if (results.isEmpty() || results.containsValue(false)) {
            throw new IllegalStateException("the worked solutions must pass every check: " + score());
        }
    }

    private String record(String name, boolean right, String hint) {
        results.put(name, right);
        String line = (right ? "✓ right: " : "✗ not yet: ") + name + (right ? "" : " (hint: " + hint + ")");
        System.out.println(line);
        return line;
    }

    /** {S, K}: population skewness and excess kurtosis, from the central moments' sums. */
    /** S and K of all the areas, empty masks included, as Table 2's rule reads them ({@link AreaDistribution}). */
    static double[] populationMoments(long[] areas) {
        if (java.util.Arrays.stream(areas).anyMatch(a -> a < 0)) {
            return new double[] {Double.NaN, Double.NaN};  // no mask has a negative area: the check says "not yet"
        }
        AreaDistribution d = AreaDistribution.of(areas, EmptyMasks.INCLUDE);
        return new double[] {d.skewness(), d.kurtosis()};
    }

    private static double sampleSkewness(long[] areas) {
        int n = areas.length;
        double g1 = populationMoments(areas)[0];
        return n > 2 ? g1 * Math.sqrt((double) n * (n - 1)) / (n - 2) : Double.NaN;
    }

    private static boolean close(double a, double b, double tolerance) {
        return Double.isFinite(a) && Math.abs(a - b) <= tolerance;
    }

    private static String fmt(double x) {
        return Double.isNaN(x) ? "nothing yet" : String.format(Locale.ROOT, "%.4f", x);
    }
}
