package calfkit.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import ai.djl.Model;

import calfkit.io.AtomicFiles;

/**
 * A run's saved parameters ({@link RunFolder#checkpoints}): {@code checkpoints/} (the last finished epoch's) and
 * {@code best/} (the epoch with the best validation DSC), each a {@code model-NNNN.params} file. Parameters are
 * written into a {@code .partial/} folder and moved into place in one atomic rename, so a kill or a full disk at any
 * moment leaves the earlier files as they were.
 */
public final class Checkpoints {

    /** The folders, under a run folder, of the last epoch's and the best epoch's parameters. */
    static final String LAST = "checkpoints";
    static final String BEST = "best";
    private static final String PARTIAL = ".partial";
    /**
     * Fault-injection hook for {@code environment/tests/kill-resume.sh} ({@code -Dcalf.test.saveDelayMs=N}): a pause
     * between writing parameters into {@code .partial/} and renaming them into place, so that random kills land
     * inside checkpoint writes too. 0 (no pause) unless set.
     */
    private static final long SAVE_DELAY_MS = Long.getLong("calf.test.saveDelayMs", 0);
    private static final Pattern PARAMS = Pattern.compile("model-(\\d{4,})\\.params");

    private final Path last;
    private final Path best;

    Checkpoints(Path runDir) {
        this.last = runDir.resolve(LAST);
        this.best = runDir.resolve(BEST);
    }

    /** Makes the two folders, empty, for a new run. */
    void createFolders() throws IOException {
        Files.createDirectories(last);
        Files.createDirectories(best);
    }

    /** The file of epoch {@code epoch}'s checkpoint (which may not exist). */
    public Path epoch(int epoch) {
        return last.resolve(paramsName(epoch));
    }

    /**
     * Saves the model as epoch {@code epoch}'s checkpoint, atomically: a kill or a full disk leaves the previous
     * checkpoints as they were.
     */
    public void save(Model model, int epoch) throws IOException {
        saveAtomically(model, last, epoch);
    }

    /** Saves the model as the best epoch so far, atomically, then removes the earlier best. */
    public void saveBest(Model model, int epoch) throws IOException {
        saveAtomically(model, best, epoch);
        deleteParams(best, e -> e != epoch);
    }

    /** Removes every checkpoint but epoch {@code keep}'s. */
    public void prune(int keep) throws IOException {
        deleteParams(last, e -> e != keep);
    }

    /**
     * Removes the parameters of epochs after {@code lastRecorded} (saved by a process that died before it recorded
     * the epoch in metrics.csv): a resumed run trains those epochs again.
     */
    public void discardAfter(int lastRecorded) throws IOException {
        for (Path d : List.of(last, best)) {
            deleteParams(d, e -> e > lastRecorded);
            AtomicFiles.deleteTree(d.resolve(PARTIAL));
        }
    }

    /** Whether neither folder holds parameters (each missing, or a folder without a {@code model-NNNN.params}). */
    boolean holdNone() throws IOException {
        for (Path d : List.of(last, best)) {
            if (Files.exists(d) && (!Files.isDirectory(d) || !epochsIn(d).isEmpty())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The best epoch's parameters: the newest {@code model-NNNN.params} in {@code best/}.
     *
     * @throws IOException naming the folder when it holds none
     */
    public Path best() throws IOException {
        return newestIn(best);
    }

    /**
     * The last epoch's parameters: the newest {@code model-NNNN.params} in {@code checkpoints/}.
     *
     * @throws IOException naming the folder when it holds none
     */
    public Path last() throws IOException {
        return newestIn(last);
    }

    /**
     * The newest {@code model-NNNN.params} of a folder.
     *
     * @throws IOException naming the folder when it holds none
     */
    public static Path newestIn(Path folder) throws IOException {
        OptionalInt newest = epochsIn(folder).stream().mapToInt(Integer::intValue).max();
        if (newest.isEmpty()) {
            throw new IOException(folder + ": holds no saved parameters (model-NNNN.params); the run has not finished an "
                    + "epoch");
        }
        return folder.resolve(paramsName(newest.getAsInt()));
    }

    /** The epoch of a {@code model-NNNN.params} file. */
    public static int epochOf(Path params) {
        Matcher m = PARAMS.matcher(params.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(params + ": not a checkpoint file (expected model-NNNN.params)");
        }
        return Integer.parseInt(m.group(1));
    }

    private static String paramsName(int epoch) {
        return String.format("model-%04d.params", epoch);
    }

    private static void saveAtomically(Model model, Path into, int epoch) throws IOException {
        Path partial = into.resolve(PARTIAL);
        Path target = into.resolve(paramsName(epoch));
        requireFolder(into);
        try {
            AtomicFiles.deleteTree(partial);
            Files.createDirectory(partial);
            model.setProperty("Epoch", Integer.toString(epoch));
            model.save(partial, "model");
            if (SAVE_DELAY_MS > 0) {
                sleep(SAVE_DELAY_MS);  // fault injection only: widens the moment between the write and the rename
            }
            AtomicFiles.move(partial.resolve(paramsName(epoch)), target);
        } catch (IOException e) {
            try {
                AtomicFiles.deleteTree(partial);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new IOException(target + ": could not save the parameters of epoch " + epoch + " (" + AtomicFiles.reason(e)
                    + "); the earlier checkpoints are intact", e);
        }
        AtomicFiles.deleteTree(partial);
    }

    /**
     * Refuses to write into a folder that is gone (deleted or unmounted while a run trains): nothing is recreated
     * in its place, since a half run in a new folder would pass for a whole one.
     */
    static void requireFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": gone (deleted, moved or unmounted while the run trained); nothing more "
                    + "is written there, and nothing is recreated in its place");
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while saving", e);
        }
    }

    private static List<Integer> epochsIn(Path d) throws IOException {
        List<Integer> epochs = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return epochs;
        }
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.toList()) {
                Matcher m = PARAMS.matcher(p.getFileName().toString());
                if (m.matches()) {
                    epochs.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        return epochs;
    }

    /** Deletes the model-NNNN.params files in {@code d} whose epoch matches. */
    private static void deleteParams(Path d, IntPredicate epochs) throws IOException {
        for (int e : epochsIn(d)) {
            if (epochs.test(e)) {
                Files.deleteIfExists(d.resolve(paramsName(e)));
            }
        }
    }
}
