/**
 * The NIfTI-1 reader ({@link calfkit.image.nifti.NiftiVolume}): the volumes that {@code calf convert} slices into
 * the PNG layout. Headers are checked before any voxel is allocated.
 *
 * <p>May use: the JDK only.
 */
package calfkit.image.nifti;
