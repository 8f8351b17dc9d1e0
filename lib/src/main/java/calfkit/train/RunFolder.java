package calfkit.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A training run's folder: {@code config.json}, {@code metrics.csv} (one row per finished epoch, appended),
 * {@code checkpoints/} (the last epoch's parameters), {@code best/} (the parameters of the epoch with the best
 * validation DSC), and after training {@code test-metrics.json}, {@code test-per-slice.csv} and
 * {@code test-dsc-by-size.csv} (the constants below name them). A new run never writes into a folder that holds something else.
 */
public final class RunFolder {

    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.csv";
    public static final String TEST_METRICS = "test-metrics.json";
    public static final String TEST_PER_SLICE = "test-per-slice.csv";
    public static final String TEST_DSC_BY_SIZE = "test-dsc-by-size.csv";
    public static final String TRAIN_LOG = "train.log";

    private final Path dir;

    public RunFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    public Path best() {
        return dir.resolve("best");
    }

    /** Creates the folder for a new run; refuses one that already holds anything. */
    public void createNew(TrainConfig config) throws IOException {
        if (Files.exists(dir)) {
            // train.log may exist already: the caller opens it to log this very attempt.
            try (Stream<Path> s = Files.list(dir)) {
                if (s.anyMatch(p -> !p.getFileName().toString().equals(TRAIN_LOG))) {
                    throw new IOException(dir + ": exists and is not empty"
                            + (Files.exists(dir.resolve(CONFIG)) ? " (it holds a run: use --resume to continue it)" : "")
                            + "; choose a new run folder (nothing was overwritten)");
                }
            }
        }
        Files.createDirectories(checkpoints());
        Files.createDirectories(best());
        Files.writeString(dir.resolve(CONFIG), config.toJson());
        Files.writeString(dir.resolve(METRICS), EpochRow.HEADER + "\n");
    }

    /** The saved config of an existing run. */
    public TrainConfig config() throws IOException {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + ": no " + CONFIG + "; expected a run folder written by calf train");
        }
        try {
            return TrainConfig.fromJson(Files.readString(file));
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a readable run configuration (" + e.getMessage() + ")", e);
        }
    }

    /** The epochs already finished (the rows of metrics.csv), in file order. */
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
                try {
                    rows.add(EpochRow.parse(header, lines.get(i)));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ", line " + (i + 1) + ": " + e.getMessage(), e);
                }
            }
        }
        return rows;
    }

    /** Whether the run finished: its test metrics are written. */
    public boolean finished() {
        return Files.isRegularFile(dir.resolve(TEST_METRICS));
    }

    public void appendMetrics(EpochRow row) throws IOException {
        Files.writeString(dir.resolve(METRICS), row.toCsv() + "\n", StandardOpenOption.APPEND);
    }

    public void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content);
    }
}
