/**
 * Settings of a session: {@link calfkit.config.Scale} (smoke, quick, full) and {@link calfkit.config.Settings}
 * (CALF_SCALE, CALF_DATA, CALF_RESULTS and the folders they name).
 *
 * <p>May use: the JDK only.
 */
package calfkit.config;
