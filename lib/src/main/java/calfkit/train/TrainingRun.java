package calfkit.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
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
import calfkit.loss.LossName;
import calfkit.loss.SegmentationLoss;
import calfkit.metrics.Evaluation;
import calfkit.metrics.Reduction;
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
 *
 * <p>A run is an object built once from its config, data and folder (what it trains on, its loss, devices and
 * sampler); its epochs are trained by {@link Epoch} (steps by {@link TrainStep}), its model started or resumed by
 * {@link ModelLoader}, its log written by {@link ProgressLog}, its files by {@link RunFolder} and {@link RunRecorder}.
 * The static {@code train} methods are the entry points.
 */
public final class TrainingRun {

    /**
     * What a run produced: its folder and config, CALF's branch (dataset scope), the split and the training sample, the
     * test of the epoch its protocol tests, and every epoch of the run as its {@code metrics.csv} records it
     * ({@link EpochRow#asRecorded}: the epochs resumed from the folder and those trained now alike).
     */
    public record Result(RunFolder folder, TrainConfig config, BranchDecision decision, PatientSplit split,
                         TumourRatioSampler.Sample sample, Evaluation test, List<EpochRow> epochs) {
    }

    private final TrainConfig c;
    private final SliceIndex index;
    private final RunFolder folder;
    /** The epochs recorded so far: those found in the folder, then each as it is trained. */
    private final List<EpochRow> finished;
    private final PrintStream log;
    private final RunData data;
    private final Recipe recipe;
    private final SegmentationLoss loss;
    private final BranchDecision decision;
    private final List<Device> devices;
    private final int workers;
    private final Shape inputShape;
    private final int stepsPerEpoch;
    private final SliceDataset trainSet;
    private final List<Slice> calibration;

    /**
     * The loss of a config, in its conventions: a "-authors" name's, else its protocol's ({@link LossName#conventions},
     * {@link LossKind#create(Protocol)}, {@link CalfLoss#authors()}); CALF's dataset-scope branch is chosen from the
     * training sample's areas.
     */
    public static SegmentationLoss loss(TrainConfig c, List<Slice> trainSlices) {
        LossName name = c.lossName();
        LossKind loss = name.kind();
        Protocol conventions = name.conventions(c.protocol());
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
        boolean hadLock = Files.exists(runDir.resolve(RunLock.FILE));
        boolean refused = false;
        try (RunLock lock = folder.lock()) {
            List<EpochRow> finished;
            try {
                finished = openFolder(folder, requested, index, resume, log);
            } catch (IOException | RuntimeException e) {
                refused = true;
                throw e;
            }
            return new TrainingRun(requested, index, folder, finished, log, lossOverride).run(listener);
        } finally {
            if (refused && !hadLock) {
                // Refused before the run wrote anything (a folder of the user's, another run, other data): leave the
                // folder as it was, without the lock file this call made.
                Files.deleteIfExists(runDir.resolve(RunLock.FILE));
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

    /**
     * The run, built once from its config, data and folder: the folder cut back to the epochs it recorded, the data
     * ({@link RunData}), the loss, the devices with the batch and loader threads they take, what an epoch draws
     * ({@link EpochSampler}) and the slices BatchNorm is re-estimated on; its opening lines logged.
     */
    private TrainingRun(TrainConfig c, SliceIndex index, RunFolder folder, List<EpochRow> finished, PrintStream log,
                        SegmentationLoss lossOverride) throws IOException {
        this.c = c;
        this.index = index;
        this.folder = folder;
        this.finished = finished;
        this.log = log;
        folder.checkpoints().discardAfter(finished.size());
        Devices.oneThreadPerRun();
        ThreadGradients.outsideTraining();
        data = c.data(index);
        recipe = c.effectiveRecipe();
        if (data.sample().slices().isEmpty()) {
            TumourRatioSampler.Sample s = data.sample();
            throw new IllegalArgumentException("the training sample is empty: at tumour ratio " + c.ratio() + " the "
                    + "training split's " + s.tumourAvailable() + " tumour and " + s.emptyAvailable() + " tumour-free "
                    + "slices give none; choose another --ratio (or a dataset with tumour slices)");
        }
        loss = lossOverride != null ? lossOverride : loss(c, data.sample().slices());
        devices = Devices.trainingDevices();
        if (Devices.hasGpu()) {
            System.setProperty("ai.djl.pytorch.cudnn_benchmark", "true");
        }
        int batch = c.batch() * (devices.get(0).isGpu() ? devices.size() : 1);
        workers = c.workers() > 0 ? c.workers() : devices.get(0).isGpu() ? 4 * devices.size()
                : Math.min(2, Runtime.getRuntime().availableProcessors());
        ProgressLog.opening(log, folder.dir(), c, batch, devices, data, loss);
        if (data.sample().slices().stream().noneMatch(Slice::tumour)) {
            log.printf("  WARNING: the training sample holds no tumour slice (%d tumour-free): there is nothing to "
                    + "segment, and a set without tumour scores DSC 0/0 = 1 by convention, whatever is predicted%n",
                    data.sample().slices().size());
        }
        if (data.split().test().stream().noneMatch(Slice::tumour)) {
            log.printf("  WARNING: the test set holds no tumour slice: its DSC is 0/0 = 1 by convention unless "
                    + "tumour is predicted; it says nothing about segmentation%n");
        }
        decision = loss instanceof CalfLoss calf ? calf.lastDecision() : null;
        Slice first = data.sample().slices().get(0);
        inputShape = new Shape(batch, 1, first.height(), first.width());
        EpochSampler order = new EpochSampler(c.seed(), c.slicesPerEpoch(), batch, recipe.stratifiedBatches(),
                c.keepsLastBatch());
        int perEpoch = order.perEpoch(data.sample().slices().size());
        if (perEpoch < batch) {
            throw new IllegalArgumentException("an epoch has " + perEpoch + " training slices, fewer than one batch of "
                    + batch + ": nothing would be trained; lower --batch");
        }
        stepsPerEpoch = order.steps(data.sample().slices().size());
        trainSet = SliceDataset.builder().slices(index, data.sample().slices())
                .optAugment(c.augment() ? Augment.TRAINING : Augment.NONE).optSeed(c.seed())
                .setSampling(order).optPrefetchNumber(2 * workers)
                .optDistanceMaps(loss.needsDistanceMaps(), 4096).build();
        calibration = Epoch.calibrationSlices(data.sample().slices(), c.seed());
    }

    /**
     * Trains the run's remaining epochs (extended while validation DSC still rises, {@link PlateauExtension}), then
     * tests the epoch the protocol tests and writes the test files; {@code listener} hears of each batch and epoch.
     */
    private Result run(ProgressListener listener) throws IOException {
        ExecutorService executor = Executors.newFixedThreadPool(workers);
        // The model, resumed from the last parameters that load (finished is cut back to their epoch), or new.
        try (Model model = ModelLoader.startingModel(folder, c, devices.get(0), inputShape, finished, log)) {
            double bestDsc = Convergence.of(finished, recipe).bestDsc();
            EpochState state = new EpochState(PlateauExtension.epochs(finished, c), stepsPerEpoch);
            if (finished.isEmpty() && recipe.priorBias()) {
                ModelLoader.setPriorBias(model, loss, data, log);
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
                 LoaderThreads stop = new LoaderThreads(executor)) {  // closed first: no loader thread outlives the arrays
                trainer.initialize(inputShape);  // draws nothing: ModelLoader initialised every parameter (RunRandom)
                RunRandom random = new RunRandom(c.seed(), model.getBlock());
                if (!finished.isEmpty()) {
                    log.printf("  resumed after epoch %d (best validation DSC so far %.4f)%n", finished.size(), bestDsc);
                }
                Epoch epochs = new Epoch(trainer, random, trainSet, state, lr, c, index, data, loss, calibration,
                        folder.dir());
                for (int epoch = finished.size(); epoch < state.epochs; epoch++) {
                    finished.add(epochs.train(epoch));
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
        return new Result(folder, c, decision, data.split(), data.sample(), test,
                finished.stream().map(EpochRow::asRecorded).toList());
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
            folder.writeConfig(requested, folder.dataset().orElse(DatasetRecord.of(index)));
        }
        return finished;
    }



}
