/**
 * NIfTI volumes (BraTS, PI-CAI, ATLAS layouts: {@link calfkit.data.convert.SourceLayout}) sliced into the PNG
 * slice layout ({@link calfkit.data.convert.VolumeConverter}, {@code calf convert}).
 *
 * <p>May use: data, image, io.
 */
package calfkit.data.convert;
