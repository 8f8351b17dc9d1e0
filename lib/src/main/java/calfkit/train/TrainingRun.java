package calfkit.train;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener.BatchData;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;

import calfkit.config.Protocol;
import calfkit.data.Augment;
import calfkit.data.EpochSampler;
import calfkit.data.PatientSplit;
import calfkit.data.RunData;
import calfkit.data.Slice;
import calfkit.data.SliceDataset;
import calfkit.data.SliceIndex;
import calfkit.data.TumourRatioSampler;
import calfkit.engine.Devices;
import calfkit.engine.ThreadGradients;
import calfkit.loss.CalfLoss;
import calfkit.loss.LossKind;
import calfkit.loss.SegmentationLoss;
import calfkit.metrics.Evaluation;
import calfkit.metrics.Reduction;
import calfkit.model.Models;
import calfkit.model.SegmentationBlock;
import calfkit.stats.AreaDistribution;
import calfkit.stats.BranchDecision;
import calfkit.stats.BranchScope;

/**
 * One trainer for every model and loss: Adam, the kit's losses (CALF in either scope), per-epoch training
 * and validation metrics appended to {@code metrics.csv}, a checkpoint every epoch, resume after an
 * interruption without losing finished epochs, the best model chosen on validation DSC, fixed seeds, and the
 * test metrics of the best model at the end.
 *
 * <p>Data: {@link RunData} (the patient split, then the tumour-ratio sampler on the training side). Devices: every
 * GPU DJL sees (data parallel: each batch is split across them, the batch size multiplied by their number), else the CPU. DJL's PyTorch
 * engine trains in float32 (it has no automatic mixed precision); on a GPU cuDNN's autotuner is enabled.
 *
 * <p>Resume restores the model parameters of the last finished epoch; Adam's moment estimates are not saved
 * by DJL and restart from zero. A non-finite loss stops training and writes the batch's slices to
 * {@code nan-batch.txt}.
 */
public final class TrainingRun {

    /** What a run produced. */
    public record Result(RunFolder folder, TrainConfig config, BranchDecision decision, PatientSplit split,
                         TumourRatioSampler.Sample sample, Evaluation test, List<EpochRow> epochs) {
    }

    private TrainingRun() {
    }

    /**
     * The loss of a config, in its conventions: a "-authors" name's, else its protocol's ({@link LossKind#conventions},
     * {@link LossKind#create(Protocol)}, {@link CalfLoss#authors()}); CALF's dataset-scope branch is chosen from the
     * training sample's areas.
     */
    public static SegmentationLoss loss(TrainConfig c, List<Slice> trainSlices) {
        LossKind loss = LossKind.of(c.loss());
        Protocol conventions = LossKind.conventions(c.loss(), c.protocol());
        if (loss != LossKind.CALF) {
            return loss.create(conventions);
        }
        if (conventions == Protocol.AUTHORS) {
            return CalfLoss.authors();
        }
        if (c.scope() == BranchScope.PER_BATCH) {
            return CalfLoss.perBatch(c.emptyMasks());
        }
        long[] areas = trainSlices.stream().mapToLong(Slice::area).toArray();
        return CalfLoss.forDataset(BranchDecision.of(AreaDistribution.of(areas, c.emptyMasks())));
    }

    /** Trains a new run in {@code runDir}, or continues the run there when {@code resume} is true. */
    public static Result train(TrainConfig requested, SliceIndex index, Path runDir, boolean resume, PrintStream log)
            throws IOException {
        return train(requested, index, runDir, resume, log, ProgressListener.NONE);
    }

    /**
     * As {@link #train(TrainConfig, SliceIndex, Path, boolean, PrintStream)}, telling {@code listener} of each batch
     * and each recorded epoch (the notebooks' live progress).
     */
    public static Result train(TrainConfig requested, SliceIndex index, Path runDir, boolean resume, PrintStream log,
                               ProgressListener listener) throws IOException {
        return train(requested, index, runDir, resume, log, null, listener);
    }

    /** As {@link #train}, with a loss that replaces the config's (tests use it to force a non-finite loss). */
    static Result train(TrainConfig requested, SliceIndex index, Path runDir, boolean resume, PrintStream log,
                        SegmentationLoss lossOverride) throws IOException {
        return train(requested, index, runDir, resume, log, lossOverride, ProgressListener.NONE);
    }

    private static Result train(TrainConfig requested, SliceIndex index, Path runDir, boolean resume, PrintStream log,
                                SegmentationLoss lossOverride, ProgressListener listener) throws IOException {
        RunFolder folder = new RunFolder(runDir);
        boolean hadDir = Files.exists(runDir);
        boolean hadLock = Files.exists(runDir.resolve(RunFolder.LOCK));
        boolean refused = false;
        try (RunFolder.Lock lock = folder.lock()) {
            List<EpochRow> finished;
            try {
                finished = openFolder(folder, requested, index, resume, log);
            } catch (IOException | RuntimeException e) {
                refused = true;
                throw e;
            }
            return train(requested, index, folder, finished, log, lossOverride, listener);
        } finally {
            if (refused && !hadLock) {
                // Refused before the run wrote anything (a folder of the user's, another run, other data): leave the
                // folder as it was, without the lock file this call made.
                Files.deleteIfExists(runDir.resolve(RunFolder.LOCK));
                if (!hadDir) {
                    try (java.util.stream.Stream<Path> s = Files.list(runDir)) {
                        if (s.findAny().isEmpty()) {
                            Files.deleteIfExists(runDir);
                        }
                    }
                }
            }
        }
    }

    private static Result train(TrainConfig requested, SliceIndex index, RunFolder folder, List<EpochRow> finished,
                                PrintStream log, SegmentationLoss lossOverride, ProgressListener listener) throws IOException {
        Path runDir = folder.dir();
        TrainConfig c = requested;
        folder.discardUnrecorded(finished.size());
        Devices.oneThreadPerRun();
        ThreadGradients.outsideTraining();
        RunData data = c.data(index);
        Recipe recipe = c.effectiveRecipe();
        if (data.sample().slices().isEmpty()) {
            TumourRatioSampler.Sample s = data.sample();
            throw new IllegalArgumentException("the training sample is empty: at tumour ratio " + c.ratio() + " the "
                    + "training split's " + s.tumourAvailable() + " tumour and " + s.emptyAvailable() + " tumour-free "
                    + "slices give none; choose another --ratio (or a dataset with tumour slices)");
        }
        SegmentationLoss loss = lossOverride != null ? lossOverride : loss(c, data.sample().slices());
        List<Device> devices = Devices.trainingDevices();
        if (Devices.hasGpu()) {
            System.setProperty("ai.djl.pytorch.cudnn_benchmark", "true");
        }
        int batch = c.batch() * (devices.get(0).isGpu() ? devices.size() : 1);
        int workers = c.workers() > 0 ? c.workers() : devices.get(0).isGpu() ? 4 * devices.size()
                : Math.min(2, Runtime.getRuntime().availableProcessors());
        describe(log, runDir, c, batch, devices, data, loss);
        if (data.sample().slices().stream().noneMatch(Slice::tumour)) {
            log.printf("  WARNING: the training sample holds no tumour slice (%d tumour-free): there is nothing to "
                    + "segment, and a set without tumour scores DSC 0/0 = 1 by convention, whatever is predicted%n",
                    data.sample().slices().size());
        }
        if (data.split().test().stream().noneMatch(Slice::tumour)) {
            log.printf("  WARNING: the test set holds no tumour slice: its DSC is 0/0 = 1 by convention unless "
                    + "tumour is predicted; it says nothing about segmentation%n");
        }
        BranchDecision decision = loss instanceof CalfLoss calf ? calf.lastDecision() : null;
        Slice first = data.sample().slices().get(0);
        Shape inputShape = new Shape(batch, 1, first.height(), first.width());
        EpochSampler order = new EpochSampler(c.seed(), c.slicesPerEpoch(), batch, recipe.stratifiedBatches(),
                c.keepsLastBatch());
        int perEpoch = order.perEpoch(data.sample().slices().size());
        if (perEpoch < batch) {
            throw new IllegalArgumentException("an epoch has " + perEpoch + " training slices, fewer than one batch of "
                    + batch + ": nothing would be trained; lower --batch");
        }
        int stepsPerEpoch = order.steps(data.sample().slices().size());
        SliceDataset trainSet = SliceDataset.builder().slices(index, data.sample().slices())
                .optAugment(c.augment() ? Augment.TRAINING : Augment.NONE).optSeed(c.seed())
                .setSampling(order).optPrefetchNumber(2 * workers)
                .optDistanceMaps(loss.needsDistanceMaps(), 4096).build();
        List<Slice> calibration = calibrationSlices(data.sample().slices(), c.seed());
        ExecutorService executor = Executors.newFixedThreadPool(workers);
        // The model, resumed from the last parameters that load (finished is cut back to their epoch), or new.
        try (Model model = startingModel(folder, c, devices.get(0), inputShape, finished, log)) {
            double bestDsc = Convergence.of(finished, recipe).bestDsc();
            EpochState state = new EpochState(PlateauExtension.epochs(finished, c), stepsPerEpoch);
            if (finished.isEmpty() && recipe.priorBias()) {
                setPriorBias(model, loss, data, log);
            }
            Tracker lr = recipe.schedule()
                    ? LearningRateSchedule.forRun(c.learningRate(), stepsPerEpoch, c.epochs(), finished.size())
                    : Tracker.fixed((float) c.learningRate());
            // The run's own work at each batch and epoch, in this order: the NaN guard; checkpoints, best model and
            // metrics.csv; the log and the watcher (who hears of an epoch once it is recorded).
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Adam.builder().optLearningRateTracker(lr).build())
                    .optDevices(devices.toArray(Device[]::new))
                    .optExecutorService(executor)
                    .addTrainingListeners(new NonFiniteGuard(folder, trainSet, state, log),
                            new RunRecorder(folder, recipe, c.protocol() == Protocol.AUTHORS, bestDsc, state),
                            new ProgressLog(log, state, listener));
            try (Trainer trainer = model.newTrainer(config);
                 Workers stop = new Workers(executor)) {  // closed first: no loader thread outlives the arrays
                trainer.initialize(inputShape);  // draws nothing: ModelLoader initialised every parameter (RunRandom)
                RunRandom random = new RunRandom(c.seed(), model.getBlock());
                if (!finished.isEmpty()) {
                    log.printf("  resumed after epoch %d (best validation DSC so far %.4f)%n", finished.size(), bestDsc);
                }
                for (int epoch = finished.size(); epoch < state.epochs; epoch++) {
                    finished.add(trainEpoch(trainer, random, trainSet, epoch, state, lr, c, index, data, loss, calibration,
                            runDir));
                    int length = PlateauExtension.epochs(finished, c);
                    if (length > state.epochs) {
                        log.printf("  validation DSC %s: another annealing cycle, epochs %d–%d%n",
                                Convergence.of(finished, recipe).verdict(), state.epochs + 1, length);
                        state.epochs = length;
                    }
                }
            }
        } catch (TranslateException e) {
            throw new IOException(e);
        } catch (UncheckedIOException e) {
            throw e.getCause(); // a listener's (RunRecorder, NonFiniteGuard) file error, as it was raised
        } finally {
            executor.shutdownNow();
        }
        // A fresh model for the best epoch's parameters: the trainer's parameter store keeps the last epoch's.
        long tTest = System.nanoTime();
        Evaluation test = RunEvaluation.evaluateBest(folder, c, index, data.split().test());
        String tested = c.protocol() == Protocol.AUTHORS ? "the last epoch" : "the best epoch by validation DSC";
        log.printf(Locale.ROOT, "test of %s: %.1f s%n", tested, (System.nanoTime() - tTest) / 1e9);
        RunEvaluation.writeTestResults(folder, test);
        log.printf("test (%s): %s%n", tested, RunEvaluation.format(test.metrics(Reduction.AUTHORS)));
        return new Result(folder, c, decision, data.split(), data.sample(), test, finished);
    }

    /**
     * Stops the batch-loading threads and waits for them, before the trainer and the model that own their arrays
     * are closed: a loader still stacking a prefetched batch into a closed manager crashes the JVM in native code
     * (seen after an interrupted training). Waits with the interrupt flag cleared, then restores it.
     */
    private record Workers(ExecutorService executor) implements AutoCloseable {
        @Override
        public void close() {
            executor.shutdownNow();
            boolean interrupted = Thread.interrupted();
            try {
                executor.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * A new run's folder made ready ({@link RunFolder#createNew}), or, with {@code resume}, the folder's run checked to
     * be the same run on the same data; returns the epochs already finished there (none for a new run, or for a
     * folder where no epoch was ever finished, which the run takes over).
     */
    private static List<EpochRow> openFolder(RunFolder folder, TrainConfig requested, SliceIndex index, boolean resume,
                                             PrintStream log) throws IOException {
        Path runDir = folder.dir();
        if (resume && folder.abandoned()) {
            log.printf("  %s: no epoch was finished there, so there is nothing to resume: the run starts%n", runDir);
            resume = false;
        }
        if (!resume) {
            folder.createNew(requested, index);
            return new ArrayList<>();
        }
        TrainConfig saved = folder.config();
        if (!saved.sameRunAs(requested)) {
            throw new IOException(runDir + ": holds a run with a different configuration; --resume continues "
                    + "only the same run (saved: " + saved.model() + "/" + saved.loss() + " seed " + saved.seed()
                    + "; it differs in " + String.join(", ", saved.differencesFrom(requested)) + ")");
        }
        folder.checkSameData(index, "--resume");
        List<EpochRow> finished = folder.finishedEpochs();
        if (requested.epochs() != saved.epochs()) {
            folder.writeConfig(requested, folder.dataset().orElse(RunFolder.DatasetRecord.of(index)));
        }
        return finished;
    }

    /**
     * The model a run trains: new for a new run; for a resumed run, loaded (once: the load is the check) from its
     * last recorded epoch's checkpoint when it loads, otherwise from the best epoch's parameters when they load, or
     * new (the run starts again), the run taken back to that epoch ({@link RunFolder#rollBackTo}: the rows of the
     * epochs trained again are kept beside metrics.csv) and said so in the log. {@code finished} is cut to the
     * epochs kept.
     */
    private static Model startingModel(RunFolder folder, TrainConfig c, Device device, Shape inputShape,
                                       List<EpochRow> finished, PrintStream log) throws IOException {
        if (finished.isEmpty()) {
            return ModelLoader.newModel(c, device, inputShape, null, folder.dir());
        }
        int last = finished.size();
        List<String> why = new ArrayList<>();
        List<Path> candidates = new ArrayList<>(List.of(folder.checkpoint(last)));
        try {
            Path best = folder.bestParameters();
            if (RunFolder.epochOf(best) <= last) {  // the best epoch's own copy: the same as epoch N's when N was best
                candidates.add(best);
            }
        } catch (IOException none) {
            // no best parameters saved: the run starts again if the checkpoint does not load
        }
        for (Path p : candidates) {
            Model loaded;
            try {
                loaded = ModelLoader.newModel(c, device, inputShape, p, folder.dir());
            } catch (IOException e) {
                why.add(e.getMessage());
                continue;
            }
            int epoch = RunFolder.epochOf(p);
            if (epoch < last) {
                try {
                    rollBack(folder, epoch, last, why, finished, log);
                } catch (IOException | RuntimeException e) {
                    loaded.close();
                    throw e;
                }
            }
            return loaded;
        }
        rollBack(folder, 0, last, why, finished, log);
        return ModelLoader.newModel(c, device, inputShape, null, folder.dir());
    }

    private static void rollBack(RunFolder folder, int epoch, int last, List<String> why, List<EpochRow> finished,
                                 PrintStream log) throws IOException {
        Path aside = folder.rollBackTo(epoch);
        finished.subList(epoch, finished.size()).clear();
        log.printf("  WARNING: the checkpoint of epoch %d cannot be used (%s); resuming from %s: epochs %d–%d train "
                + "again, their first rows are kept in %s%n", last, String.join("; ", why),
                epoch == 0 ? "the start" : "epoch " + epoch + " (the best epoch's parameters)", epoch + 1, last, aside);
    }

    /** The run's opening lines in its log: model, loss, data, sample, what an epoch draws, CALF's branch. */
    private static void describe(PrintStream log, Path runDir, TrainConfig c, int batch, List<Device> devices, RunData data,
                                 SegmentationLoss loss) {
        log.printf("run %s%n  model %s (%s), loss %s, %d epochs, batch %d, lr %g, seed %d, devices %s%n", runDir,
                Models.label(c.model()), c.size().name().toLowerCase(), c.loss(), c.epochs(), batch, c.learningRate(),
                c.seed(), devices);
        if (!devices.get(0).isGpu() && !Devices.cpuInstructionsCapped()) {
            log.println("  " + Devices.cpuInstructions());
        }
        log.printf("  protocol %s, recipe %s%s%n", c.protocol(), c.effectiveRecipe().label(), c.extensions() == 0 ? ""
                : String.format(Locale.ROOT, "; while validation DSC still rises at the end, up to %d more cycle%s of %d "
                        + "epochs", c.extensions(), c.extensions() == 1 ? "" : "s", PlateauExtension.cycle(c.epochs())));
        log.printf("  data %s%s%n  %s; validation %d slices%s%n", data.split(), switch (c.splitUnit()) {
            case SLICE -> " (split by slice: a patient's slices on both sides)";
            case SLICE_PER_PATIENT -> " (10 % of every patient's slices for test, the rest trained on)";
            case PATIENT -> "";
        }, data.sample(), data.validation().size(), data.validationIsTrained()
                ? " drawn from the training slices (no validation set, as the authors': the curves are measured on "
                + "slices the run trains on" + (c.protocol() == calfkit.config.Protocol.AUTHORS ? ")"
                : ", and so is the best epoch's choice)") : "");
        log.printf("  starts from %s; %s%n", c.effectiveInit() == calfkit.model.Initialisation.PYTORCH
                ? "PyTorch's layer defaults (Kaiming-uniform a = sqrt(5), uniform biases)" : "Xavier weights, biases 0",
                c.keepsLastBatch() ? "an epoch's last partial batch is trained on" : "an epoch's last partial batch is dropped");
        if (data.validation().equals(data.split().test())) {
            log.printf("  WARNING: only %d training patient(s), too few to set some aside: the validation set is the "
                    + "test set, so the best epoch is chosen on the test slices and the test metrics are optimistic%n",
                    data.split().trainPatients().size());
        }
        if (c.slicesPerEpoch() > 0) {
            log.printf("  each epoch draws %d of the sample's slices (EpochSampler%s)%n",
                    Math.min(c.slicesPerEpoch(), data.sample().slices().size()),
                    c.effectiveRecipe().stratifiedBatches() ? ", stratified batches" : "");
        }
        if (loss instanceof CalfLoss calf) {
            log.println("  " + (calf.lastDecision() != null ? calf.lastDecision().toString()
                    : "CALF per batch: the branch is chosen again for every batch"));
        }
    }

    /**
     * One epoch: every batch through {@link #step} (a non-finite batch is skipped without an update), BatchNorm
     * re-estimated when the recipe says so, then validation; the listeners hear of each batch and of the epoch
     * ({@link NonFiniteGuard}, {@link RunRecorder}, {@link ProgressLog}). Returns the epoch's recorded row.
     */
    private static EpochRow trainEpoch(Trainer trainer, RunRandom random, SliceDataset trainSet, int epoch, EpochState state,
                                       Tracker lr, TrainConfig c, SliceIndex index, RunData data, SegmentationLoss loss,
                                       List<Slice> calibration, Path runDir) throws IOException, TranslateException {
        long t0 = System.nanoTime();
        trainSet.setEpoch(epoch);
        loss.setEpoch(epoch);
        state.startEpoch(epoch);
        long position = (long) epoch * state.stepsPerEpoch;  // the run's step, for its Dropout masks (RunRandom)
        for (Batch b : trainer.iterateDataset(trainSet)) {
            try {
                state.stepDone(b, step(trainer, b, random, position++));
                trainer.notifyListeners(l -> l.onTrainingBatch(trainer, new BatchData(b, Map.of(), Map.of())));
                if (Double.isFinite(state.lastLoss) && Thread.currentThread().isInterrupted()) {
                    // Kernel › Interrupt (or any interrupt of this thread): stop between two steps.
                    throw new InterruptedIOException("interrupted at epoch " + (epoch + 1) + ", batch " + state.batches
                            + " of " + state.stepsPerEpoch + "; " + (epoch == 0 ? "no epoch was saved"
                            : "epochs 1–" + epoch + " are saved in " + runDir) + "; rerun to resume");
                }
            } finally {
                b.close();
            }
        }
        if (state.batches == 0) {
            throw new IllegalStateException("loss is not finite for every batch of epoch " + (epoch + 1)
                    + "; their slices are listed in " + runDir.resolve(RunFolder.NAN_BATCH));
        }
        long t1 = System.nanoTime();
        Recipe recipe = c.effectiveRecipe();
        if (recipe.reestimateBatchNorm()) {
            random.masks(BATCH_NORM_POSITION + epoch, () -> {
                reestimateBatchNorm(trainer.getModel().getBlock(), trainer, index, calibration);
                return null;
            });
        }
        long t2 = System.nanoTime();
        Validation v = validate(trainer.getModel().getBlock(), trainer.getManager(), index, data.validation(), loss);
        long t3 = System.nanoTime();
        String branch = loss instanceof CalfLoss calf ? branchText(calf) : "";
        double lrNow = lr instanceof LearningRateSchedule schedule ? schedule.at((epoch + 1) * state.stepsPerEpoch)
                : c.learningRate();
        state.row = new EpochRow(epoch + 1, state.meanLoss(), v.loss, v.pooled.get("dsc"), v.authors.get("dsc"),
                v.pooled.get("iou"), v.pooled.get("accuracy"), lrNow, (t3 - t0) / 1e9, branch);
        state.trainingSeconds = (t1 - t0) / 1e9;
        state.batchNormSeconds = (t2 - t1) / 1e9;
        state.validationSeconds = (t3 - t2) / 1e9;
        trainer.notifyListeners(l -> l.onEpoch(trainer));
        return state.row;
    }

    /**
     * The prior bias ({@link Recipe#KIT}): the head's bias at the log-odds of the probability the loss starts from
     * ({@link SegmentationLoss#startingProbability}): the training sample's foreground fraction, or 0.1 for the
     * overlap losses.
     */
    private static void setPriorBias(Model model, SegmentationLoss loss, RunData data, PrintStream log) {
        double pi = foregroundFraction(data.sample().slices());
        double p = loss.startingProbability(pi);
        float bias = ((SegmentationBlock) model.getBlock()).setPriorBias(p);
        log.printf(Locale.ROOT, "  prior bias: foreground fraction %.4f of the training pixels, head bias %.3f%s%n", pi, bias,
                p == pi ? "" : String.format(Locale.ROOT, " (probability %.2f, where an overlap loss starts)", p));
    }

    /**
     * One training step, the one every run takes and {@code TrainStepBenchmark} times: forward on every device's
     * share of the batch, the loss, backward, then the optimiser's update. Returns the batch's mean loss; a
     * non-finite loss returns before backward, so that no update happens (the caller skips the batch). A batch whose
     * gradients are all zero (the authors' per-image Dice on tumour-free slices: loss 1, no gradient) changes no
     * weight; DJL's trainer refuses such a step until its first non-zero one ({@code Trainer.checkGradients}), so
     * the kit skips it there, as the update would have been zero.
     */
    public static double step(Trainer trainer, Batch batch) {
        return step(trainer, batch, null, 0);
    }

    /**
     * As {@link #step(Trainer, Batch)}, each forward pass drawing its Dropout masks from the generator seeded for
     * step {@code position} of the run ({@link RunRandom}; null: from the generator as it is). The gradients are
     * collected for this thread only ({@link ThreadGradients}), so runs on other threads may step at the same time.
     */
    static double step(Trainer trainer, Batch batch, RunRandom random, long position) {
        Batch[] splits = batch.split(trainer.getDevices(), false);
        double total = 0;
        try (GradientCollector gc = new ThreadGradients()) {
            for (int k = 0; k < splits.length; k++) {
                Batch s = splits[k];
                long draw = position * splits.length + k;  // each device's share its own masks
                NDList preds = random == null ? trainer.forward(s.getData(), s.getLabels())
                        : random.masks(draw, () -> trainer.forward(s.getData(), s.getLabels()));
                NDArray l = trainer.getLoss().evaluate(s.getLabels(), preds);
                float value = l.getFloat();
                if (!Float.isFinite(value)) {
                    return value;
                }
                gc.backward(l);
                total += value * s.getSize();
            }
        }
        try {
            trainer.step();
        } catch (IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("Gradient values are all zeros")) {
                throw e;
            }
        }
        return total / batch.getSize();
    }

    private record Validation(double loss, Map<String, Double> pooled, Map<String, Double> authors) {
    }

    private static Validation validate(Block block, NDManager manager, SliceIndex index, List<Slice> slices,
                                      SegmentationLoss loss) throws IOException {
        Evaluation e = new Evaluation();
        // CALF's branch tally counts training batches only: validation uses a fresh CALF of the same kind.
        SegmentationLoss validationLoss = loss instanceof CalfLoss calf ? calf.freshCopy() : loss;
        double[] lossSum = {0};
        Inference.forEachBatch(block, manager, index, slices, (part, logits, truth) -> {
            lossSum[0] += validationLoss.fromLogits(logits, truth).getFloat() * part.size();
            Inference.score(e, part, logits, truth, false);
        });
        return new Validation(lossSum[0] / Math.max(1, slices.size()), e.metrics(Reduction.POOLED),
                e.metrics(Reduction.AUTHORS));
    }

    /** The fraction of foreground pixels in a set of slices (their index areas over their pixels). */
    static double foregroundFraction(List<Slice> slices) {
        double fg = 0;
        double all = 0;
        for (Slice s : slices) {
            fg += s.area();
            all += (double) s.width() * s.height();
        }
        return all == 0 ? 0 : fg / all;
    }

    /** Slices BatchNorm is re-estimated on: up to {@value #CALIBRATION_SLICES} training slices, a seeded choice. */
    static List<Slice> calibrationSlices(List<Slice> train, long seed) {
        List<Slice> shuffled = new ArrayList<>(train);
        Collections.shuffle(shuffled, new Random(seed ^ 0xBA7C4L));
        return List.copyOf(shuffled.subList(0, Math.min(CALIBRATION_SLICES, shuffled.size())));
    }

    /** Training slices per BatchNorm re-estimation, and the batch they are run in. */
    static final int CALIBRATION_SLICES = 64;
    private static final int CALIBRATION_BATCH = 32;
    /** Where the BatchNorm re-estimation after epoch e draws its Dropout masks: position this + e ({@link RunRandom}). */
    private static final long BATCH_NORM_POSITION = 1L << 40;

    /** {@link BatchNormStatistics#reestimate} on un-augmented training slices, in batches of 32. */
    private static void reestimateBatchNorm(Block block, Trainer trainer, SliceIndex index, List<Slice> slices) {
        SliceDataset ds = SliceDataset.builder().slices(index, slices).setSampling(CALIBRATION_BATCH, false).build();
        int batches = (slices.size() + CALIBRATION_BATCH - 1) / CALIBRATION_BATCH;
        BatchNormStatistics.reestimate(block, trainer.getManager(), batches, (m, k) -> {
            List<Slice> part = slices.subList(k * CALIBRATION_BATCH, Math.min(slices.size(), (k + 1) * CALIBRATION_BATCH));
            try {
                return Inference.load(m, ds, part)[0].head().toDevice(trainer.getDevices()[0], false);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }


    private static String branchText(CalfLoss calf) {
        if (calf.scope() == BranchScope.DATASET) {
            return calf.lastDecision().branch().label();
        }
        StringBuilder sb = new StringBuilder();
        calf.branchCounts().forEach((b, n) -> sb.append(sb.length() == 0 ? "" : " ").append(b.label().replace(' ', '_'))
                .append(':').append(n));
        return sb.toString();
    }

}
