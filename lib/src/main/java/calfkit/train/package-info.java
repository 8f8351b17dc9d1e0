/**
 * Stage 5, training: a run's configuration ({@link calfkit.train.TrainConfig} and its
 * {@link calfkit.train.TrainConfigBuilder}, {@link calfkit.train.Recipe}), the run ({@link calfkit.train.TrainingRun},
 * an object built once from its config, data and folder) with its model started or resumed
 * ({@link calfkit.train.ModelLoader}), one epoch ({@code Epoch}) of steps ({@link calfkit.train.TrainStep}) and its DJL
 * training listeners (the NaN guard {@code NonFiniteGuard}, checkpoints and metrics.csv {@code RunRecorder}, the log
 * {@code ProgressLog}, which tells a {@link calfkit.train.ProgressListener}), one predict loop
 * ({@link calfkit.train.Inference}: validation, test, {@code calf eval}, the explorer), the learning-rate schedule,
 * BatchNorm re-estimation, the run folder on disk ({@link calfkit.train.RunFolder}: config.json and metrics.csv; its
 * parameters in {@link calfkit.train.Checkpoints}, its lock {@link calfkit.train.RunLock}, its test results
 * {@link calfkit.train.TestMetrics}) and the plateau verdict ({@link calfkit.train.Convergence}).
 *
 * <p>May use: config, data, engine, image, io, loss, metrics, model, stats, DJL.
 */
package calfkit.train;
