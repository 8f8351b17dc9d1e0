/**
 * Stage 2, the area statistics and CALF's branch selection: the area scan of a dataset's masks ({@link
 * calfkit.stats.AreaScan}, pixel counts or contour areas: {@link calfkit.stats.ContourArea}), the moments of the
 * area distribution ({@link calfkit.stats.AreaDistribution}) and the rules of the paper's Table 2 that choose a
 * transform ({@link calfkit.stats.Rule}, {@link calfkit.stats.BranchDecision}).
 *
 * <p>May use: image, io, Commons Math.
 */
package calfkit.stats;
