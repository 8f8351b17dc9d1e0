/**
 * The DJL engine's devices ({@link calfkit.engine.Devices}): CPU, or every visible GPU under the gpu profile.
 *
 * <p>May use: DJL.
 */
package calfkit.engine;
