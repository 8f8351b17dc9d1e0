/**
 * Stage 3, the losses: one class each, its equation and conventions (logits or probabilities, smoothing, reduction,
 * what an empty mask gives) in its comment. {@link calfkit.loss.CalfLoss} applies the branch that stats chose;
 * the comparison losses are pixelwise ({@link calfkit.loss.PixelwiseLoss}: BCE, focal, the CALF transforms), region
 * ({@link calfkit.loss.RegionLoss}: Dice, IoU, Tversky) or distance-based ({@link calfkit.loss.DistanceLoss}:
 * boundary, modified boundary). {@link calfkit.loss.Losses} creates one from its command-line name.
 *
 * <p>May use: image, stats, DJL.
 */
package calfkit.loss;
