/**
 * Which dataset a session opens ({@link calfkit.data.source.Datasets}): the one CALF_DATA names, or the embedded
 * phantom dataset of the scale, generated into the cache on first use.
 *
 * <p>May use: config, data, data.phantom, io.
 */
package calfkit.data.source;
