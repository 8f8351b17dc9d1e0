package calfkit.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The paper's "custom data loader": a training set with a chosen fraction r of tumour slices.
 *
 * <p>With T tumour and E empty slices available: when r is above the natural ratio T/(T + E), all T tumour
 * slices are kept and round(T(1 − r)/r) empty ones drawn; when below, all E empty slices are kept and
 * round(E·r/(1 − r)) tumour ones drawn (as the authors' loader, {@code set_segmentation_ratio} in
 * {@code scripts/dataset_loader.py}, takes all of the scarcer class; it truncates with {@code int()} where the kit
 * rounds, at most one slice apart, and its caller skips r = 0, {@code if ratio:}, training at the natural ratio). r = 1
 * keeps only tumour slices, r = 0 only empty ones. The achieved ratio and counts are reported, since
 * rounding (and a class with no slice) can make it differ from r. Deterministic for a seed.
 */
public final class TumourRatioSampler {

    /** The outcome: the chosen slices (tumour first, then empty, each in index order) and what was achieved. */
    public record Sample(List<Slice> slices, int tumour, int empty, double requested, double achieved,
                         int tumourAvailable, int emptyAvailable) {
        @Override
        public String toString() {
            return String.format("tumour ratio %.3f requested, %.3f achieved: %d tumour + %d empty slices "
                    + "(of %d + %d available)", requested, achieved, tumour, empty, tumourAvailable, emptyAvailable);
        }
    }

    private TumourRatioSampler() {
    }

    /** The natural ratio of a set of slices: tumour slices / all slices. */
    public static double naturalRatio(List<Slice> slices) {
        return slices.isEmpty() ? 0 : (double) slices.stream().filter(Slice::tumour).count() / slices.size();
    }

    /**
     * Samples the slices to a tumour ratio.
     *
     * @param ratio r in [0, 1]; NaN keeps every slice (the natural ratio)
     * @throws IllegalArgumentException when r is outside [0, 1]
     */
    public static Sample sample(List<Slice> slices, double ratio, long seed) {
        if (!Double.isNaN(ratio) && !(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("tumour ratio must be in [0, 1], got " + ratio);
        }
        List<Slice> tumour = new ArrayList<>(slices.stream().filter(Slice::tumour).toList());
        List<Slice> empty = new ArrayList<>(slices.stream().filter(s -> !s.tumour()).toList());
        int t = tumour.size();
        int e = empty.size();
        int keepT = t;
        int keepE = e;
        if (!Double.isNaN(ratio)) {
            if (ratio == 1) {
                keepE = 0;
            } else if (ratio == 0) {
                keepT = 0;
            } else if (t + e > 0 && (double) t / (t + e) < ratio) {
                keepE = (int) Math.min(e, Math.round(t * (1 - ratio) / ratio));
            } else {
                keepT = (int) Math.min(t, Math.round(e * ratio / (1 - ratio)));
            }
        }
        Random random = new Random(seed);
        List<Slice> chosen = new ArrayList<>(pick(tumour, keepT, random));
        chosen.addAll(pick(empty, keepE, random));
        double achieved = chosen.isEmpty() ? Double.NaN : (double) keepT / (keepT + keepE);
        return new Sample(List.copyOf(chosen), keepT, keepE, Double.isNaN(ratio) ? naturalRatio(slices) : ratio,
                achieved, t, e);
    }

    private static List<Slice> pick(List<Slice> from, int n, Random random) {
        if (n >= from.size()) {
            return from;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        List<Integer> kept = new ArrayList<>(order.subList(0, n));
        Collections.sort(kept);
        return kept.stream().map(from::get).toList();
    }
}
