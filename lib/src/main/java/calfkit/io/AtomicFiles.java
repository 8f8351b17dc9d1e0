package calfkit.io;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import tech.tablesaw.api.Table;

/**
 * Files that are either as they were or wholly new, never half-written: written beside their target and moved
 * into place in one rename (the dataset's index, a run folder's records and results).
 */
public final class AtomicFiles {

    /** What {@link #writeString} appends to a file's name for the temporary copy beside it. */
    public static final String TMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Moves {@code from} onto {@code to} in one rename where the file system can, replacing {@code to}. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes a folder the kit wrote as a temporary copy (a half-written checkpoint, a phantom dataset generated
     * beside its place) with everything in it; nothing when it does not exist.
     */
    public static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Writes {@code content} (UTF-8) to {@code file}: into {@code file.tmp}, flushed to the disk, then renamed.
     *
     * @throws IOException naming the file when the write fails (a full disk); the file is then as it was
     */
    public static void writeString(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + TMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            String reason = e instanceof NoSuchFileException ? "its folder is gone" : e.getMessage();
            throw new IOException(file + ": could not write (" + reason + "); the file is as it was", e);
        }
        move(tmp, file);
    }

    /**
     * A new, empty temporary file {@code dir/name.<random>.tmp} with the permissions any new file of this user gets
     * (the umask's: readable by others under the usual 022), unlike {@link Files#createTempFile}, which makes it
     * readable by its owner only; for files moved into place that others read (a dataset's {@code index.csv}).
     */
    public static Path newTempFile(Path dir, String name) throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(name + "." + Long.toHexString(random.nextLong()) + TMP_SUFFIX);
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * An error's reason for people: file-system errors whose message is only a path get their kind said ("no such
     * file or folder: PATH"); others their message.
     */
    public static String reason(Exception e) {
        String m = e.getMessage();
        if (e instanceof NoSuchFileException) {
            return "no such file or folder: " + m;
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + m;
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists: " + m;
        }
        return m == null ? e.toString() : m;
    }

    /** Writes a table as CSV to {@code file}, atomically ({@link #writeString}). */
    public static void writeCsv(Path file, Table table) throws IOException {
        StringWriter w = new StringWriter();
        table.write().csv(w);
        writeString(file, w.toString());
    }
}
