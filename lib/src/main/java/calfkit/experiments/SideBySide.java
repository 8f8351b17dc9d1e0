package calfkit.experiments;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import calfkit.train.ProgressDisplay;

/**
 * Trains a grid's runs several at a time ({@code calfkit.engine.Devices#runsAtOnce}), each on a thread of its own,
 * while everything the notebook sees happens on the calling thread: a run's progress line is opened, rewritten and
 * finished there, in the order the runs report (a notebook's kernel sends its display messages from the thread
 * that runs the cell). Runs start in the grid's order; after a failure no further run starts, the runs already
 * training finish, and the first failure is thrown. An interrupt of the calling thread (Kernel › Interrupt)
 * interrupts every run, which stops between two steps with its finished epochs saved.
 */
final class SideBySide {

    /** One run to train: its progress on {@code line}, which it may call from its own thread. */
    interface Job {
        /** What its progress line first says. */
        String opening();

        /** Trains the run. */
        void train(ProgressDisplay.Line line) throws IOException;

        /** Its line's last text, once it has trained (read on the calling thread). */
        String closing() throws IOException;
    }

    private SideBySide() {
    }

    /** Runs {@code jobs}, {@code atOnce} at a time, their lines on {@code display}; returns when every job is done. */
    static void run(List<Job> jobs, int atOnce, ProgressDisplay display) throws IOException {
        if (jobs.isEmpty()) {
            return;
        }
        BlockingQueue<Runnable> shown = new LinkedBlockingQueue<>();
        AtomicBoolean failed = new AtomicBoolean();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(atOnce, jobs.size())), r -> {
            Thread t = new Thread(r, "calf-run-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (Job job : jobs) {
                futures.add(pool.submit(() -> {
                    if (failed.get()) {
                        return null;
                    }
                    QueuedLine line = new QueuedLine(shown);
                    shown.add(() -> line.shown = display.open(job.opening()));
                    try {
                        job.train(line);
                    } catch (IOException | RuntimeException | Error e) {
                        failed.set(true);
                        throw e;
                    }
                    shown.add(() -> {
                        try {
                            line.shown.finish(job.closing());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                    return null;
                }));
            }
            pool.shutdown();
            while (!pool.isTerminated() || !shown.isEmpty()) {
                Runnable r = shown.poll(100, TimeUnit.MILLISECONDS);
                if (r != null) {
                    r.run();
                }
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            awaitQuietly(pool);
            drain(shown);
            throw new InterruptedIOException("interrupted: every run stopped between two steps; their finished epochs "
                    + "are saved, and running the grid again resumes them");
        } catch (UncheckedIOException e) {
            pool.shutdownNow();
            awaitQuietly(pool);
            throw e.getCause();
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw (Error) cause;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while collecting the runs");
            }
        }
    }

    private static void awaitQuietly(ExecutorService pool) {
        boolean interrupted = Thread.interrupted();
        try {
            pool.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void drain(BlockingQueue<Runnable> shown) {
        for (Runnable r = shown.poll(); r != null; r = shown.poll()) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // a line that cannot be shown any more: the runs' own logs keep what happened
            }
        }
    }

    /** A run's line as its thread sees it: each call queued for the calling thread, which holds the real line. */
    private static final class QueuedLine implements ProgressDisplay.Line {
        private final BlockingQueue<Runnable> queue;
        /** The real line, set on the calling thread before any of this line's calls reach it. */
        private ProgressDisplay.Line shown;

        QueuedLine(BlockingQueue<Runnable> queue) {
            this.queue = queue;
        }

        @Override
        public void update(String text, double fraction) {
            queue.add(() -> shown.update(text, fraction));
        }

        @Override
        public void epoch(int epoch, String text, double fraction) {
            queue.add(() -> shown.epoch(epoch, text, fraction));
        }

        @Override
        public void finish(String text) {
            queue.add(() -> shown.finish(text));
        }
    }
}
