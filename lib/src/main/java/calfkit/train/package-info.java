/**
 * Stage 5, training: a run's configuration ({@link calfkit.train.TrainConfig}, {@link calfkit.train.Recipe}), the
 * loop ({@link calfkit.train.TrainingRun}: one step, one epoch) with its DJL training listeners (the NaN guard
 * {@code NonFiniteGuard}, checkpoints and metrics.csv {@code RunRecorder}, the log {@code ProgressLog}, which tells a
 * {@link calfkit.train.ProgressListener}), one predict loop ({@link calfkit.train.Inference}: validation, test,
 * {@code calf eval}, the explorer), the learning-rate schedule, BatchNorm
 * re-estimation, the run folder on disk ({@link calfkit.train.RunFolder}: config.json, metrics.csv, checkpoints,
 * test files) and the plateau verdict ({@link calfkit.train.Convergence}).
 *
 * <p>May use: config, data, engine, image, io, loss, metrics, model, stats, DJL.
 */
package calfkit.train;
