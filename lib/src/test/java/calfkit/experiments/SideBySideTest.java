package calfkit.experiments;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import calfkit.config.Scale;
import calfkit.data.SliceIndex;
import calfkit.testing.TestPhantom;
import calfkit.train.ProgressDisplay;
import calfkit.train.RunFolder;
import calfkit.train.TrainConfig;
import calfkit.train.TrainingRun;

/** Runs trained side by side give what they give one at a time, and the notebook's lines stay on its thread. */
@Tag("training")
class SideBySideTest {

    @TempDir
    static Path dir;
    private static SliceIndex index;

    @BeforeAll
    static void data() throws IOException {
        index = TestPhantom.generate(8, 8, dir.resolve("data"));
    }

    /** A display that records which thread opened, updated and finished its lines. */
    private static final class Recording implements ProgressDisplay {
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        final List<String> finished = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Line open(String text) {
            threads.add(Thread.currentThread().getName());
            return new Line() {
                @Override
                public void update(String t, double fraction) {
                    threads.add(Thread.currentThread().getName());
                }

                @Override
                public void epoch(int epoch, String t, double fraction) {
                    threads.add(Thread.currentThread().getName());
                }

                @Override
                public void finish(String t) {
                    threads.add(Thread.currentThread().getName());
                    finished.add(t);
                }
            };
        }
    }

    private static SideBySide.Job job(TrainConfig c, Path run) {
        return new SideBySide.Job() {
            @Override
            public String opening() {
                return run.getFileName().toString();
            }

            @Override
            public void train(ProgressDisplay.Line line) throws IOException {
                TrainingRun.train(c, index, run, false, new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8), new calfkit.train.ProgressListener() {
                            @Override
                            public void onEpoch(calfkit.train.EpochRow row, int epochs) {
                                line.epoch(row.epoch(), "epoch " + row.epoch(), (double) row.epoch() / epochs);
                            }
                        });
            }

            @Override
            public String closing() {
                return run.getFileName() + " done";
            }
        };
    }

    /** metrics.csv without its seconds column (the only column that depends on what else the machine does). */
    private static List<String> metricsWithoutTime(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve(RunFolder.METRICS));
        int seconds = List.of(lines.get(0).split(",", -1)).indexOf("seconds");
        return lines.stream().map(l -> {
            List<String> cells = new ArrayList<>(List.of(l.split(",", -1)));
            cells.remove(seconds);
            return String.join(",", cells);
        }).collect(Collectors.toList());
    }

    @Test
    void runsSideBySideEqualRunsOneAtATimeAndTheirLinesStayOnTheCallingThread() throws IOException {
        // DeepLabV3 has Dropout: its masks come from PyTorch's one generator, which RunRandom keeps each run's own.
        List<TrainConfig> configs = List.of(
                TrainConfig.forScale(Scale.SMOKE, "deeplabv3", "bce").withEpochs(2).withBatch(4).withSeed(12345),
                TrainConfig.forScale(Scale.SMOKE, "deeplabv3", "bce").withEpochs(2).withBatch(4).withSeed(2),
                TrainConfig.forScale(Scale.SMOKE, "unet", "calf").withEpochs(2).withBatch(4).withSeed(7));
        for (String mode : List.of("one", "three")) {
            List<SideBySide.Job> jobs = new ArrayList<>();
            for (int i = 0; i < configs.size(); i++) {
                jobs.add(job(configs.get(i), dir.resolve(mode).resolve("run" + i)));
            }
            Recording display = new Recording();
            SideBySide.run(jobs, mode.equals("one") ? 1 : 3, display);
            String caller = Thread.currentThread().getName();
            assertTrue(display.threads.stream().allMatch(caller::equals), "lines shown from " + display.threads);
            assertEquals(List.of("run0 done", "run1 done", "run2 done"), display.finished.stream().sorted().toList());
        }
        for (int i = 0; i < configs.size(); i++) {
            assertEquals(metricsWithoutTime(dir.resolve("one/run" + i)), metricsWithoutTime(dir.resolve("three/run" + i)),
                    "run " + i + " side by side");
            assertEquals(Files.readString(dir.resolve("one/run" + i).resolve(RunFolder.TEST_METRICS)),
                    Files.readString(dir.resolve("three/run" + i).resolve(RunFolder.TEST_METRICS)), "run " + i + " test");
        }
    }

    @Test
    void afterAFailureNoFurtherRunStartsAndTheFailureIsThrown() {
        AtomicInteger started = new AtomicInteger();
        List<SideBySide.Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int k = i;
            jobs.add(new SideBySide.Job() {
                @Override
                public String opening() {
                    return "job " + k;
                }

                @Override
                public void train(ProgressDisplay.Line line) throws IOException {
                    started.incrementAndGet();
                    if (k == 0) {
                        throw new IOException("job 0: broken");
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public String closing() {
                    return "job " + k + " done";
                }
            });
        }
        IOException e = assertThrows(IOException.class, () -> SideBySide.run(jobs, 2, new Recording()));
        assertEquals("job 0: broken", e.getMessage());
        assertTrue(started.get() <= 2, started.get() + " jobs started; after job 0 failed only the one beside it should have");
    }
}
