/**
 * Stage 5, training: a run's configuration ({@link calfkit.train.TrainConfig}, {@link calfkit.train.Recipe}), the
 * loop ({@link calfkit.train.TrainingRun}) with its listeners, the learning-rate schedule, BatchNorm
 * re-estimation, the run folder on disk ({@link calfkit.train.RunFolder}: config.json, metrics.csv, checkpoints,
 * test files) and the plateau verdict ({@link calfkit.train.Convergence}).
 *
 * <p>May use: config, data, engine, image, io, loss, metrics, model, stats, DJL.
 */
package calfkit.train;
