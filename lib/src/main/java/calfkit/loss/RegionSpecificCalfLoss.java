package calfkit.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import calfkit.config.Protocol;
import calfkit.stats.AreaDistribution;
import calfkit.stats.BranchDecision;
import calfkit.stats.EmptyMasks;

/**
 * The region-specific adaptive loss of the CALF authors' released code
 * ({@code scripts/region_specific_adaptive_loss_pytorch.py}, {@code RegionSpecificAdaptiveLoss}; not in the
 * paper): the image is cut into a g × g grid of regions (g = 4; each region ⌊H/g⌋ × ⌊W/g⌋ pixels from the top left,
 * the remainder rows and columns left out, as theirs); in each region r, CALF chooses its branch from the batch's
 * RETR_TREE contour areas of that region ({@link CalfLoss#authors()}'s measure, every mask) and applies that
 * transformation to the region, L_r; the regions are weighted by their thresholded errors,
 * <pre>
 *   w_r = 1 + FP_r + FN_r      (counts of pixels with round(σ(x)) ≠ y in region r, over the batch; no gradient)
 *   L   = Σ_r w_r · L_r / Σ_r w_r
 * </pre>
 * Conventions: logits in; every branch, BCE-Dice included, on probabilities clamped to [1e-7, 1 − 1e-7] (this file
 * clamps before its branches, unlike their CALF's BCE-Dice); mean over the region's pixels in each L_r; round(0.5) = 0
 * (PyTorch rounds half to even). A region whose masks are all empty has undefined skewness: BCE-Dice.
 */
public final class RegionSpecificCalfLoss extends SegmentationLoss {

    private final int grid;

    public RegionSpecificCalfLoss() {
        this(4);
    }

    /** @param grid regions per side (the authors' {@code num_regions}) */
    public RegionSpecificCalfLoss(int grid) {
        super("Region CALF");
        if (grid < 1) {
            throw new IllegalArgumentException("Region CALF: the grid needs at least 1 region a side, got " + grid);
        }
        this.grid = grid;
    }

    @Override
    public NDArray fromLogits(NDArray logits, NDArray target) {
        return regions(Activation.sigmoid(logits), target);
    }

    @Override
    public NDArray fromProbabilities(NDArray p, NDArray target) {
        return regions(p, target);
    }

    private NDArray regions(NDArray p, NDArray y) {
        Shape s = y.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("Region CALF: expected (N, C, H, W) masks, got " + s);
        }
        long rh = s.get(2) / grid;
        long rw = s.get(3) / grid;
        if (rh == 0 || rw == 0) {
            throw new IllegalArgumentException("Region CALF: a " + s.get(2) + "×" + s.get(3) + " image has no "
                    + grid + "×" + grid + " grid of regions");
        }
        NDArray weighted = null;
        double weights = 0;
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                NDIndex region = new NDIndex(":, :, {}:{}, {}:{}", i * rh, (i + 1) * rh, j * rw, (j + 1) * rw);
                NDArray pr = p.get(region);
                NDArray yr = y.get(region);
                BranchDecision d = BranchDecision.of(AreaDistribution.of(CalfLoss.contourAreas(yr), EmptyMasks.INCLUDE));
                NDArray loss = CalfLoss.transform(d.branch(), Protocol.AUTHORS).fromProbabilities(pr.clip(EPS, 1f - EPS), yr);
                float[] pv = pr.toFloatArray();
                float[] yv = yr.toFloatArray();
                long errors = 0;
                for (int k = 0; k < pv.length; k++) {
                    int predicted = pv[k] > 0.5f ? 1 : 0;
                    errors += predicted != Math.round(yv[k]) ? 1 : 0;
                }
                double w = 1 + errors;
                weights += w;
                NDArray term = times(loss, (float) w);
                weighted = weighted == null ? term : weighted.add(term);
            }
        }
        return dividedBy(weighted, (float) weights);
    }
}
