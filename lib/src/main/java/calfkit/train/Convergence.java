package calfkit.train;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Whether a run reached its plateau: its best validation DSC gains at most {@value #TOLERANCE} over the last
 * quarter of its epochs, i.e. max(DSC of the last q epochs) − max(DSC of the epochs before them) ≤ 0.01, with
 * q = ⌈E / 4⌉. The best-so-far curve is what best-epoch selection uses, and one noisy epoch just before the last
 * quarter cannot fake a rise. A run that
 * collapses to a degenerate prediction (validation DSC below {@value #COLLAPSED_BELOW} over the whole last quarter:
 * nothing predicted, or tumour almost everywhere, where the sigmoid saturates and the gradients vanish) is
 * stable too, so it counts as plateaued, but its verdict says COLLAPSED ({@link #collapsed}): that is the loss's
 * doing on this run, and the tables and {@code calf convergence} show it as such. The DSC is the one the run's recipe
 * selects on ({@link Recipe#pooledSelection()}).
 *
 * @param epochs     epochs trained
 * @param lastQuarter q, the epochs the gain is measured over
 * @param gain       the gain (NaN with fewer than 2 epochs)
 * @param finalDsc   the validation DSC of the last epoch
 * @param bestEpoch  the epoch the recipe selects: the first with the highest DSC (0 when none)
 * @param bestDsc    its DSC (−∞ when none)
 * @param lastBest   the highest DSC of the last quarter (NaN with fewer than 2 epochs)
 */
public record Convergence(int epochs, int lastQuarter, double gain, double finalDsc, int bestEpoch, double bestDsc,
                          double lastBest) {

    /** The largest gain over the last quarter that still counts as a plateau. */
    public static final double TOLERANCE = 0.01;

    /**
     * A validation DSC below this over the whole last quarter is a collapse: an empty prediction scores 0, tumour
     * everywhere 2G/(N + G), 0.02–0.03 on the quick phantom's validation slices at ratio 0.1.
     */
    public static final double COLLAPSED_BELOW = 0.1;

    /**
     * What a run's convergence comes to, and how the {@code convergence} column of a results table says it: "plateau",
     * or the run's {@link #verdict} beginning with the state's words.
     */
    public enum State {
        /** Stable, best DSC gained at most {@link #TOLERANCE} over the last quarter, and no collapse. */
        PLATEAU("plateau"),
        /** Stable at a degenerate prediction ({@link #collapsed}). */
        COLLAPSED("COLLAPSED"),
        /** The best DSC still gained more than {@link #TOLERANCE} over the last quarter. */
        STILL_RISING("STILL RISING"),
        /** Fewer than 2 epochs. */
        TOO_SHORT("too short to tell");

        private final String words;

        State(String words) {
            this.words = words;
        }

        /**
         * The state a results table's {@code convergence} cell says ({@link #column}).
         *
         * @throws IllegalArgumentException naming the cell when it is none of the states' words
         */
        public static State ofColumn(String cell) {
            for (State s : values()) {
                if (cell.startsWith(s.words)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("'" + cell + "' is not a convergence verdict; expected one that starts with "
                    + Arrays.stream(values()).map(s -> "'" + s.words + "'").collect(
                            Collectors.joining(", ")));
        }
    }

    public static Convergence of(List<EpochRow> rows, Recipe recipe) {
        int e = rows.size();
        double[] dsc = rows.stream().mapToDouble(r -> selectionDsc(r, recipe)).toArray();
        int best = 0;
        double bestDsc = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < e; i++) {
            if (dsc[i] > bestDsc) {
                bestDsc = dsc[i];
                best = rows.get(i).epoch();
            }
        }
        if (e < 2) {
            return new Convergence(e, e, Double.NaN, e == 0 ? Double.NaN : dsc[e - 1], best, bestDsc, Double.NaN);
        }
        int q = Math.max(1, (e + 3) / 4);
        double before = Double.NEGATIVE_INFINITY;
        double last = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < e; i++) {
            if (i < e - q) {
                before = Math.max(before, dsc[i]);
            } else {
                last = Math.max(last, dsc[i]);
            }
        }
        return new Convergence(e, q, last - before, dsc[e - 1], best, bestDsc, last);
    }

    /** The validation DSC a recipe chooses the best epoch on (the authors' for rows that lack the pooled one). */
    public static double selectionDsc(EpochRow r, Recipe recipe) {
        return recipe.pooledSelection() && !Double.isNaN(r.valDsc()) ? r.valDsc() : r.valDscAuthors();
    }

    /** True when the gain is at most {@link #TOLERANCE}; false for runs too short to tell. */
    public boolean plateaued() {
        return !Double.isNaN(gain) && gain <= TOLERANCE;
    }

    /** True when the run ended in a degenerate prediction: DSC below {@link #COLLAPSED_BELOW} over the last quarter. */
    public boolean collapsed() {
        return plateaued() && lastBest < COLLAPSED_BELOW;
    }

    /** What this run's convergence comes to. */
    public State state() {
        return Double.isNaN(gain) ? State.TOO_SHORT : collapsed() ? State.COLLAPSED : plateaued() ? State.PLATEAU
                : State.STILL_RISING;
    }

    /**
     * The {@code convergence} cell of a results table: "plateau" for a run at its plateau, else the {@link #verdict}
     * (read back by {@link State#ofColumn}).
     */
    public String column() {
        return state() == State.PLATEAU ? State.PLATEAU.words : verdict();
    }

    /**
     * "plateau (+0.004 over the last 2 of 8 epochs)", "STILL RISING (+0.031 …)" or "COLLAPSED (validation DSC &lt; 0.10
     * over the last 3 of 12 epochs; best 0.184 at epoch 2)".
     */
    public String verdict() {
        if (Double.isNaN(gain)) {
            return "too short to tell (" + epochs + " epoch" + (epochs == 1 ? "" : "s") + ")";
        }
        if (collapsed()) {
            return String.format(Locale.ROOT, "COLLAPSED (validation DSC < %.2f over the last %d of %d epochs; "
                    + "best %.3f at epoch %d)", COLLAPSED_BELOW, lastQuarter, epochs, bestDsc, bestEpoch);
        }
        return String.format(Locale.ROOT, "%s (%+.3f over the last %d of %d epochs)",
                plateaued() ? "plateau" : "STILL RISING", gain, lastQuarter, epochs);
    }
}
