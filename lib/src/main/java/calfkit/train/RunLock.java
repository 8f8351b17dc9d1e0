package calfkit.train;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import calfkit.io.AtomicFiles;

/**
 * A run folder's lock ({@link RunFolder#lock}): one process at a time trains in a folder. The lock file
 * {@code .lock} names the process that holds it ({@code pid@host}); the operating system's file lock, not the file,
 * is the lock, so it is released when the process ends, however it ends.
 *
 * @param channel the lock file, open while the lock is held
 * @param lock    the operating system's lock on it
 */
public record RunLock(FileChannel channel, FileLock lock) implements Closeable {

    /** The lock file in a run folder. */
    static final String FILE = ".lock";

    /**
     * Takes {@code dir}'s lock for as long as a process trains in it; the operating system releases it when the
     * process ends, however it ends.
     *
     * @throws IOException naming the folder when another process (or this one) holds it
     */
    public static RunLock take(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + ": is a file, not a folder; --out expects a run folder (new, or a run to resume)");
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            String holder;
            try {
                holder = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                holder = "unknown";
            }
            throw new IOException(dir + ": another process is training in this run folder (" + file + " is held by "
                    + (holder.isEmpty() ? "a process that has not written its name yet" : "process " + holder)
                    + "); wait for it to finish, or choose another folder");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "@" + host() + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        } catch (IOException e) {
            channel.close();
            throw new IOException(file + ": could not write the lock (" + AtomicFiles.reason(e) + ")", e);
        }
        return new RunLock(channel, lock);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Whether a process holds {@code dir}'s lock now (a training in progress). */
    public static boolean held(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
