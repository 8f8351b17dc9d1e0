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
 * {@code test-dsc-by-size.csv}. A new run never writes into a folder that holds something else.
 */
public final class RunFolder {

    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.csv";
    public static final String METRICS_HEADER = "epoch,train_loss,val_loss,val_dsc,val_iou,val_accuracy,seconds,branch";

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
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(dir + ": exists and is not empty"
                            + (Files.exists(dir.resolve(CONFIG)) ? " (it holds a run: use --resume to continue it)" : "")
                            + "; choose a new run folder (nothing was overwritten)");
                }
            }
        }
        Files.createDirectories(checkpoints());
        Files.createDirectories(best());
        Files.writeString(dir.resolve(CONFIG), config.toJson());
        Files.writeString(dir.resolve(METRICS), METRICS_HEADER + "\n");
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

    /** The epochs already finished (rows of metrics.csv). */
    public List<String[]> finishedEpochs() throws IOException {
        List<String[]> rows = new ArrayList<>();
        Path file = dir.resolve(METRICS);
        if (!Files.isRegularFile(file)) {
            return rows;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("epoch")) {
                rows.add(line.split(","));
            }
        }
        return rows;
    }

    public void appendMetrics(String row) throws IOException {
        Files.writeString(dir.resolve(METRICS), row + "\n", StandardOpenOption.APPEND);
    }

    public void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content);
    }
}
