/**
 * Stage 6, the metrics: DSC, IoU, sensitivity, specificity, precision, MAE and HD95 per image and pooled ({@link
 * calfkit.metrics.Evaluation}, {@link calfkit.metrics.Reduction}), and the statistics over seeds and slices that
 * say how sure a comparison is ({@link calfkit.metrics.SeedStatistics}, {@link calfkit.metrics.PairedBootstrap}).
 *
 * <p>May use: image, Commons Math, DJL.
 */
package calfkit.metrics;
