/**
 * The notebooks' experiments: the grids of runs behind each notebook ({@link calfkit.experiments.Grid}), running
 * and reading them back ({@link calfkit.experiments.Experiments}), predictions for the explorer ({@link
 * calfkit.experiments.Predictions}) and the annotation-bias study.
 *
 * <p>May use: every stage below (config to train), engine.
 */
package calfkit.experiments;
