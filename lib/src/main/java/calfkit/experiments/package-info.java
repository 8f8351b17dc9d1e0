/**
 * The notebooks' experiments: the grids of runs behind each notebook ({@link calfkit.experiments.Grid}), written
 * down one row per run ({@link calfkit.experiments.GridPlan}, the {@code grid.csv} of {@code calf grid}), run here
 * ({@link calfkit.experiments.Experiments}), each run summarised as a typed {@link calfkit.experiments.RunSummary}
 * (from the run just trained, or read back from its folder) and the grid's summaries compared
 * ({@link calfkit.experiments.GridResults}), or
 * run on a Slurm cluster as a job array ({@link calfkit.experiments.SlurmArray}), predictions for the explorer
 * ({@link calfkit.experiments.Predictions}) and the annotation-bias study.
 *
 * <p>May use: every stage below (config to train), engine.
 */
package calfkit.experiments;
