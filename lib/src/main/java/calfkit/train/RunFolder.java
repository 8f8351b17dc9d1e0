package calfkit.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import calfkit.data.SliceIndex;
import calfkit.io.AtomicFiles;

/**
 * A training run's folder: {@code config.json} (the configuration, and the dataset it trains on), {@code metrics.csv}
 * (one row per finished epoch), {@code checkpoints/} (the last finished epoch's parameters), {@code best/} (the
 * parameters of the epoch with the best validation DSC), and after training {@code test-metrics.json},
 * {@code test-per-slice.csv}, {@code test-dsc-by-size.csv} and, for a test set of several modalities,
 * {@code test-by-modality.csv} (the constants below name them). A new run never
 * writes into a folder that holds something else.
 *
 * <p>What survives a kill or a full disk at any moment: parameters are written into a {@code .partial/} folder
 * and moved into place in one atomic rename, {@code metrics.csv} is rewritten through a temporary file and a
 * rename, and an epoch counts as finished only once its row is in {@code metrics.csv} (written after its
 * checkpoint). So a resumed run finds the checkpoint of its last recorded epoch complete, and parameters of an
 * epoch that was not recorded are discarded ({@link Checkpoints#discardAfter}). One process at a time trains in a
 * folder ({@link #lock}).
 */
public final class RunFolder {

    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.csv";
    public static final String TEST_METRICS = "test-metrics.json";
    public static final String TEST_PER_SLICE = "test-per-slice.csv";
    public static final String TEST_DSC_BY_SIZE = "test-dsc-by-size.csv";
    public static final String TEST_BY_MODALITY = "test-by-modality.csv";
    public static final String TRAIN_LOG = "train.log";
    /** The slices of training batches whose loss was not finite (written by TrainingRun when one occurs). */
    public static final String NAN_BATCH = "nan-batch.txt";
    /** The member of config.json that records the dataset ({@link DatasetRecord}); TrainConfig does not read it. */
    static final String DATASET = "dataset";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final Path dir;

    public RunFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Creates the folder for a new run, its config.json recording the dataset. Refuses a folder that holds anything
     * but what a run that never finished an epoch leaves (its log, lock, config, an empty metrics.csv, empty
     * checkpoint folders): such a folder is taken over, since nothing in it is a result.
     */
    public void createNew(TrainConfig config, SliceIndex data) throws IOException {
        if (Files.exists(dir) && !abandoned()) {
            throw new IOException(dir + ": exists and is not empty"
                    + (Files.exists(dir.resolve(CONFIG)) ? (readsAsRun() ? " (it holds a run: use --resume to continue it)"
                    : " (its " + CONFIG + " is not a run's: a folder of your own?)") : "")
                    + "; choose a new run folder (nothing was overwritten)");
        }
        checkpoints().createFolders();
        write(METRICS, EpochRow.HEADER + "\n");
        writeConfig(config, DatasetRecord.of(data));
    }

    /** Writes config.json: the run's configuration with the {@code dataset} it trains on. */
    public void writeConfig(TrainConfig config, DatasetRecord data) throws IOException {
        JsonObject json = JsonParser.parseString(config.toJson()).getAsJsonObject();
        json.add(DATASET, GSON.toJsonTree(data));
        write(CONFIG, GSON.toJson(json));
    }

    /**
     * Whether the folder holds nothing but what a run that never finished an epoch leaves: {@code train.log},
     * the lock, {@code config.json}, a {@code metrics.csv} without rows, and checkpoint folders
     * without a checkpoint (an empty or missing folder is abandoned too).
     */
    public boolean abandoned() throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        String tmp = AtomicFiles.TMP_SUFFIX;
        List<String> skeleton = List.of(TRAIN_LOG, RunLock.FILE, CONFIG, METRICS, METRICS + tmp, CONFIG + tmp,
                Checkpoints.LAST, Checkpoints.BEST);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (!skeleton.contains(p.getFileName().toString())) {
                    return false;
                }
            }
        }
        if (!checkpoints().holdNone()) {
            return false;
        }
        // Only the kit's own files are taken over: a config.json that is not a run's, or a train.log that does not
        // begin as the kit's ("run FOLDER"), is the user's.
        Path log = dir.resolve(TRAIN_LOG);
        if (Files.isRegularFile(log) && Files.size(log) > 0) {
            try (java.io.BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
                String first = r.readLine();
                if (first == null || !first.startsWith("run ")) {
                    return false;
                }
            } catch (java.nio.charset.CharacterCodingException e) {
                return false;
            }
        }
        if (Files.exists(dir.resolve(CONFIG)) && !readsAsRun()) {
            return false;
        }
        try {
            return finishedEpochs().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private boolean readsAsRun() {
        try {
            config();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Takes this folder's lock for as long as a process trains in it ({@link RunLock#take}).
     *
     * @throws IOException naming the folder when another process (or this one) holds it
     */
    public RunLock lock() throws IOException {
        return RunLock.take(dir);
    }

    /** Whether a process holds this folder's lock now (a training in progress). */
    public boolean locked() throws IOException {
        return RunLock.held(dir);
    }

    /**
     * The dataset recorded in config.json, if any (runs written before the kit recorded it have none).
     *
     * @throws IOException naming the file when config.json cannot be read
     */
    public Optional<DatasetRecord> dataset() throws IOException {
        JsonElement d = configJson().get(DATASET);
        return d == null || d.isJsonNull() ? Optional.empty() : Optional.of(GSON.fromJson(d, DatasetRecord.class));
    }

    /**
     * Checks that {@code data} is the dataset this run trains on (a resume, or {@code eval --write}).
     *
     * @throws IOException naming both datasets when the run was trained on another one
     */
    public void checkSameData(SliceIndex data, String what) throws IOException {
        DatasetRecord given = DatasetRecord.of(data);
        Optional<DatasetRecord> saved = dataset();
        if (saved.isPresent() && !saved.get().sameData(given)) {
            throw new IOException(dir + ": this run trained on " + saved.get() + "; " + what + " was given " + given
                    + "; use the run's own dataset, or start a new run folder");
        }
    }

    /** The run's saved parameters: {@code checkpoints/} and {@code best/}. */
    public Checkpoints checkpoints() {
        return new Checkpoints(dir);
    }

    /**
     * Takes the run back to epoch {@code epoch} (0: to its start): the rows of later epochs are moved out of
     * metrics.csv into a file of their own beside it, {@code metrics.dropped-<time>.csv} (header included, never
     * overwritten), and the parameters of later epochs are removed. For a resume whose newer checkpoints are missing
     * or damaged: it trains those epochs again, and the record of the first attempt is kept.
     *
     * @return the file the dropped rows went to
     */
    public Path rollBackTo(int epoch) throws IOException {
        Path file = dir.resolve(METRICS);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = new ArrayList<>(List.of(lines.get(0)));
        List<String> dropped = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i++) {
            (i <= epoch ? kept : dropped).add(lines.get(i));
        }
        String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path aside = dir.resolve("metrics.dropped-" + stamp + ".csv");
        for (int n = 2; Files.exists(aside); n++) {
            aside = dir.resolve("metrics.dropped-" + stamp + "-" + n + ".csv");
        }
        AtomicFiles.writeString(aside, String.join("\n", dropped) + "\n");
        AtomicFiles.writeString(file, String.join("\n", kept) + "\n");
        checkpoints().discardAfter(epoch);
        return aside;
    }

    /** The saved config of an existing run. */
    public TrainConfig config() throws IOException {
        JsonObject json = configJson();
        try {
            return TrainConfig.fromJson(json.toString());
        } catch (RuntimeException e) {
            // Gson wraps the config's own validation ("epochs must be ...") in "Failed to invoke constructor ...":
            // the kit's message is the one that says what is wrong.
            Throwable why = e;
            while (why.getCause() != null && why.getCause() != why) {
                why = why.getCause();
            }
            String reason = why instanceof IllegalArgumentException ? why.getMessage() : e.getMessage();
            throw new IOException(dir.resolve(CONFIG) + ": not a readable run configuration (" + reason + ")", e);
        }
    }

    private JsonObject configJson() throws IOException {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + ": no " + CONFIG + "; expected a run folder written by calf train");
        }
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a readable run configuration (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The epochs already finished (the rows of metrics.csv), which must be epochs 1, 2, … N in order.
     *
     * @throws IOException naming the file and line of a row that breaks the sequence
     */
    public List<EpochRow> finishedEpochs() throws IOException {
        List<EpochRow> rows = new ArrayList<>();
        Path file = dir.resolve(METRICS);
        if (!Files.isRegularFile(file)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String header = lines.isEmpty() ? "" : lines.get(0);
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                EpochRow row;
                try {
                    row = EpochRow.parse(header, lines.get(i));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ", line " + (i + 1) + ": " + e.getMessage(), e);
                }
                if (row.epoch() != rows.size() + 1) {
                    throw new IOException(file + ", line " + (i + 1) + ": epoch " + row.epoch() + " where epoch "
                            + (rows.size() + 1) + " was expected (rows must be epochs 1, 2, … in order); the file was "
                            + "edited or written by two trainings at once");
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Whether the run finished: its test metrics are written. */
    public boolean finished() {
        return Files.isRegularFile(dir.resolve(TEST_METRICS));
    }

    /**
     * Whether the run finished every epoch its config asks for: test metrics written and as many recorded epochs.
     * A finished run resumed with more epochs ({@code --epochs N --resume}) keeps its shorter run's test metrics
     * until it is tested again, so {@link #finished()} alone would call it done in the meantime.
     */
    public boolean complete() {
        return complete(0);
    }

    /**
     * Whether the run finished {@code epochs} epochs, and every epoch its own config asks for, and was tested: a
     * grid row whose epochs were raised after its run finished is not done until the run has trained the row's
     * epochs ({@code --resume} continues it).
     */
    public boolean complete(int epochs) {
        try {
            return finished() && finishedEpochs().size() >= Math.max(epochs, config().epochs());
        } catch (IOException e) {
            return false;
        }
    }

    /** Records a finished epoch: metrics.csv is rewritten with the new row through a temporary file and a rename. */
    public void appendMetrics(EpochRow row) throws IOException {
        Path file = dir.resolve(METRICS);
        Checkpoints.requireFolder(dir);
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": gone (deleted while the run trained); the epoch is not recorded");
        }
        String before = Files.readString(file, StandardCharsets.UTF_8);
        if (!before.endsWith("\n")) {
            before += "\n";
        }
        AtomicFiles.writeString(file, before + row.toCsv() + "\n");
    }

    /** Writes a file of the run folder atomically (through a temporary file and a rename). */
    public void write(String name, String content) throws IOException {
        AtomicFiles.writeString(dir.resolve(name), content);
    }
}
