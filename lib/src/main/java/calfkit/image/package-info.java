/**
 * Images, the leaf of the pipeline: what every stage reads or computes on pixels, with no dependency on any other
 * kit package. {@link calfkit.image.DistanceMaps} (signed distance maps, the boundary losses' φ) and
 * {@link calfkit.image.EuclideanDistance} (the exact Euclidean distance transform, Felzenszwalb–Huttenlocher, used by
 * the distance maps and the HD95 metric); the PNG codec in {@code png} and the NIfTI reader in {@code nifti}.
 *
 * <p>May use: the JDK only. Used by: data, stats, loss, metrics (and everything above them).
 */
package calfkit.image;
