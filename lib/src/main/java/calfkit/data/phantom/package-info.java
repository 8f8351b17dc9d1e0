/**
 * The synthetic phantom-MRI generator: slices with tumours whose areas are drawn to place the dataset in a chosen
 * branch of CALF's Table 2 ({@link calfkit.data.phantom.TumourAreas}), optionally with annotation bias ({@link
 * calfkit.data.phantom.AnnotationBias}); written in the slice layout of {@code calfkit.data}.
 *
 * <p>May use: config, data, image, io, stats (the rules the areas are drawn for).
 */
package calfkit.data.phantom;
