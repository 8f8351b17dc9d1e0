package calfkit.train;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops the batch-loading threads and waits for them, before the trainer and the model that own their arrays
 * are closed: a loader still stacking a prefetched batch into a closed manager crashes the JVM in native code
 * (seen after an interrupted training). Waits with the interrupt flag cleared, then restores it.
 */
record LoaderThreads(ExecutorService executor) implements AutoCloseable {
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
