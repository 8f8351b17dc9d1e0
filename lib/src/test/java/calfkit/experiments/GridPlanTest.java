package calfkit.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import calfkit.cli.Calf;
import calfkit.config.Protocol;
import calfkit.config.Scale;
import calfkit.data.RunData;
import calfkit.data.SliceIndex;
import calfkit.testing.TestPhantom;
import calfkit.train.Recipe;
import calfkit.train.RunFolder;
import calfkit.train.TrainConfig;

/** A grid written down: the notebooks' and the command line's grids agree, and a grid's rows train what they say. */
@Tag("training")
class GridPlanTest {

    @TempDir
    static Path shared;
    static Path data;

    @BeforeAll
    static void dataset() throws IOException {
        data = shared.resolve("data");
        TestPhantom.generate(8, 4, data);
    }

    private static int calf(ByteArrayOutputStream out, String... args) {
        return Calf.standard().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    void aNotebooksGridIsTheFileCalfGridPlanWritesForTheSameArguments(@TempDir Path dir) throws IOException {
        ExperimentPlan quick = ExperimentPlan.forScale(Scale.QUICK);
        for (Grid g : List.of(Grid.TABLE4, Grid.TABLE5, Grid.ADAPTIVE)) {
            GridPlan notebook = GridPlan.of(g, quick, dir.resolve("results"), data);
            notebook.write();
            List<String> seeds = g.seeds(quick).stream().map(String::valueOf).toList();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Path griddir = dir.resolve("cli-" + g.file());
            assertEquals(0, calf(out, "grid", "plan", "--models", String.join(",", g.models()), "--losses",
                    String.join(",", g.losses()), "--ratios", Double.toString(g.ratio()), "--seeds", String.join(",", seeds),
                    "--scale", "quick", "--data", data.toString(), "--out", griddir.toString()), out.toString());
            assertEquals(Files.readString(notebook.file()), Files.readString(griddir.resolve(GridPlan.FILE)), g.name());
            assertEquals(dir.resolve("results").resolve(g.file() + ".grid.csv"), notebook.file());
            assertEquals(dir.resolve("results").resolve(g.file() + ".csv"), notebook.resultsFile(),
                    "collect writes the table the notebook writes");
        }
        GridPlan t4 = GridPlan.read(dir.resolve("results/table4.grid.csv"));
        assertEquals(18, t4.rows().size());
        GridPlan.Row r = t4.rows().get(9); // U-Net: rows 0–5; DeepLabV3 × BCE: 6–7; × Focal: 8 (seed 12345), 9 (seed 2)
        assertEquals("deeplabv3-focal-r0.409-seed2", r.run());
        assertEquals(quick.config("deeplabv3", "focal", 0.409, 2), r.config(), "the row's config is the notebook's");
    }

    @Test
    void aRowsTrainArgumentsTrainItsConfig(@TempDir Path dir) throws IOException {
        // calf train reads its defaults from CALF_SCALE (unset in the tests: quick), so the row is a quick one.
        GridPlan g = GridPlan.of(dir.resolve("g/grid.csv"), List.of("unet"), List.of("calf"), List.of(0.5), List.of(7L),
                Scale.QUICK, Protocol.KIT, null, Recipe.KIT_NO_PRIOR, 1, data);
        GridPlan.Row row = g.rows().get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of("train"));
        args.addAll(row.trainArguments(g.runDir(row)));
        assertEquals(0, calf(out, args.toArray(String[]::new)), out.toString());
        assertEquals(row.config(), new RunFolder(g.runDir(row)).config());
        assertEquals(GridPlan.State.DONE, g.state(row));
        assertEquals(0, calf(out, args.toArray(String[]::new)), out.toString());
        assertTrue(out.toString().contains("this run is finished (its test metrics are written); nothing to resume"),
                "a finished row's task does nothing: " + out);

        // A finished run resumed with more epochs that stopped part-way (as on a full disk): its config asks for 2
        // epochs, 1 is recorded, and the 1-epoch run's test metrics are still there. It is not done, and a resume
        // trains epoch 2 instead of calling it finished.
        RunFolder folder = new RunFolder(g.runDir(row));
        folder.writeConfig(row.config().withEpochs(2), folder.dataset().orElseThrow());
        assertTrue(folder.finished());
        assertFalse(folder.complete());
        assertEquals(GridPlan.State.STOPPED, g.state(row));
        List<String> more = new java.util.ArrayList<>(args);
        more.set(more.indexOf("--epochs") + 1, "2");
        out.reset();
        assertEquals(0, calf(out, more.toArray(String[]::new)), out.toString());
        assertEquals(2, folder.finishedEpochs().size(), out.toString());
        assertTrue(folder.complete());
    }

    @Test
    void planRunStatusAndCollectThroughTheCommandLine(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path griddir = dir.resolve("grid");
        assertEquals(0, calf(out, "grid", "plan", "--models", "unet", "--losses", "bce,dice", "--ratios", "0.5,natural",
                "--seeds", "1", "--scale", "smoke", "--data", data.toString(), "--out", griddir.toString()), out.toString());
        assertEquals(List.of("grid.csv"), list(griddir), "plan writes grid.csv and nothing else");
        GridPlan g = GridPlan.read(griddir);
        assertEquals(List.of("unet-bce-r0.5-seed1", "unet-bce-rnatural-seed1", "unet-dice-r0.5-seed1",
                "unet-dice-rnatural-seed1"), g.rows().stream().map(GridPlan.Row::run).toList());
        assertEquals(1, calf(out, "grid", "collect", griddir.toString()));
        assertTrue(out.toString().contains("4 of 4 rows are not done"), out.toString());
        assertFalse(Files.exists(g.resultsFile()));

        // Row 1 stopped after an epoch of 2 (as a cancelled task leaves it), row 2 failed.
        TrainConfig two = g.rows().get(1).config().toBuilder().epochs(2).build();
        calfkit.train.TrainingRun.train(two.withEpochs(1), SliceIndex.read(data), g.runDir(g.rows().get(1)), false,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Files.delete(g.runDir(g.rows().get(1)).resolve(RunFolder.TEST_METRICS));
        Files.createDirectories(g.exitFile(g.rows().get(2)).getParent());
        Files.writeString(g.exitFile(g.rows().get(2)), "1\n");
        out.reset();
        assertEquals(0, calf(out, "grid", "status", griddir.toString()));
        assertTrue(out.toString().contains("grid: 4 rows: 0 done, 0 running, 1 failed, 1 stopped, 0 damaged, 2 to do"), out.toString());

        out.reset();
        assertEquals(0, calf(out, "grid", "run", griddir.toString()), out.toString());
        assertEquals(0, calf(out, "grid", "status", griddir.toString()));
        assertTrue(out.toString().contains("grid: 4 rows: 4 done"), out.toString());
        Table ran = Table.read().csv(g.resultsFile().toFile());
        Files.delete(g.resultsFile());
        assertEquals(0, calf(out, "grid", "collect", griddir.toString()), out.toString());
        Table collected = Table.read().csv(g.resultsFile().toFile());
        assertEquals(ran.removeColumns("source").print(), collected.removeColumns("source").print());

        out.reset();
        assertEquals(0, calf(out, "grid", "slurm", griddir.toString(), "--calf", "/opt/calf/data-scripts/calf"));
        assertTrue(out.toString().contains("nothing to submit"), out.toString());
    }

    @Test
    void resultsCopiedWithTheirDatasetElsewhereAreReadBackAndOnOtherDataRefused(@TempDir Path dir) throws IOException {
        // An instructor's results, read by a student whose embedded phantom lives in their own cache: the grid's
        // dataset folder differs, the dataset (its index's fingerprint) does not.
        Path results = dir.resolve("instructor");
        GridPlan g = GridPlan.of(results.resolve("t.grid.csv"), List.of("unet"), List.of("bce"), List.of(0.5), List.of(1L),
                Scale.SMOKE, Protocol.KIT, null, null, 1, data);
        g.write();
        Experiments.run(g, "t", SliceIndex.read(data), calfkit.train.ProgressDisplay.streamed(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        Path moved = dir.resolve("student-cache/data");
        copyTree(data, moved);
        GridPlan there = GridPlan.of(results.resolve("t.grid.csv"), List.of("unet"), List.of("bce"), List.of(0.5),
                List.of(1L), Scale.SMOKE, Protocol.KIT, null, null, 1, moved);
        there.write();
        assertTrue(Files.readString(there.file()).contains(moved.toString()), "the grid now names where its data is");
        Table back = Experiments.run(there, "t", SliceIndex.read(moved), calfkit.train.ProgressDisplay.streamed(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertEquals("read from an earlier run", back.stringColumn("source").get(0));

        Path other = dir.resolve("other");
        TestPhantom.generate(6, 4, other);
        GridPlan elsewhere = GridPlan.of(results.resolve("t.grid.csv"), List.of("unet"), List.of("bce"), List.of(0.5),
                List.of(1L), Scale.SMOKE, Protocol.KIT, null, null, 1, other);
        elsewhere.write();
        IOException e = assertThrows(IOException.class, () -> Experiments.run(elsewhere, "t", SliceIndex.read(other),
                calfkit.train.ProgressDisplay.streamed(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("this run trained on") && e.getMessage().contains(other.toString()), e.getMessage());
        GridPlan otherSeed = GridPlan.of(results.resolve("t.grid.csv"), List.of("unet"), List.of("bce"), List.of(0.5),
                List.of(2L), Scale.SMOKE, Protocol.KIT, null, null, 1, moved);
        assertThrows(IOException.class, otherSeed::write, "a grid of other runs is still refused");

        // The row's epochs raised after its run finished: not done until the run has trained them.
        GridPlan longer = GridPlan.of(results.resolve("t.grid.csv"), List.of("unet"), List.of("bce"), List.of(0.5),
                List.of(1L), Scale.SMOKE, Protocol.KIT, null, null, 2, moved);
        assertEquals(there.runDir(there.rows().get(0)), longer.runDir(longer.rows().get(0)));
        assertEquals(GridPlan.State.STOPPED, longer.state(longer.rows().get(0)));
        assertEquals(0, Experiments.collect(longer, "t").rowCount(), "the shorter run is not read back as the row's");

        // A truncated or edited test-metrics.json is named, whatever is wrong in it.
        Path metrics = there.runDir(there.rows().get(0)).resolve(RunFolder.TEST_METRICS);
        String whole = Files.readString(metrics);
        for (String bad : List.of(whole.substring(0, whole.length() / 2),
                whole.replaceFirst("\"dsc\": [0-9.eE+-]+", "\"dsc\": \"abc\""), "{}")) {
            Files.writeString(metrics, bad);
            IOException wrong = assertThrows(IOException.class, () -> Experiments.collect(there, "t"));
            assertTrue(wrong.getMessage().startsWith(metrics + ": not the test results calf train writes ("), wrong.getMessage());
            assertEquals(GridPlan.State.DAMAGED, there.state(there.rows().get(0)), "grid status does not call it done");
        }
    }

    @Test
    void aRunRecordWithInvalidValuesIsDamagedWithTheKitsOwnMessage(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path griddir = dir.resolve("grid");
        assertEquals(0, calf(out, "grid", "plan", "--models", "unet", "--losses", "bce", "--seeds", "1,2", "--scale", "smoke",
                "--data", data.toString(), "--out", griddir.toString()), out.toString());
        GridPlan g = GridPlan.read(griddir);
        Path config = g.runDir(g.rows().get(0)).resolve(RunFolder.CONFIG);
        Files.createDirectories(config.getParent());
        Files.writeString(config, g.rows().get(0).config().toJson().replace("\"batch\": 8", "\"batch\": -8"));
        Path other = g.runDir(g.rows().get(1)).resolve(RunFolder.CONFIG);
        Files.createDirectories(other.getParent());
        Files.writeString(other, g.rows().get(1).config().toBuilder().learningRate(0.5).build().toJson());
        out.reset();
        assertEquals(0, calf(out, "grid", "status", griddir.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("damaged   ?/") && text.contains(config + ": not a readable run configuration (batch must be in [1, "),
                text);
        assertFalse(text.contains("Failed to invoke"), text);
        assertTrue(text.contains(other + ": a run of other settings than this row's: learningRate (saved 0.5, asked "), text);
        assertTrue(text.contains("grid: 2 rows: 0 done, 0 running, 0 failed, 0 stopped, 2 damaged, 0 to do"), text);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }

    @Test
    void theSlurmScriptHasOneTaskPerRowLeftEachResumingItsRun(@TempDir Path dir) throws IOException {
        GridPlan g = GridPlan.of(dir.resolve("my grid/grid.csv"), List.of("unet", "fpn"), List.of("bce", "calf"),
                List.of(0.1), List.of(1L, 2L), Scale.FULL, Protocol.KIT, null, null, 0, data);
        List<GridPlan.Row> rows = List.of(g.rows().get(0), g.rows().get(1), g.rows().get(2), g.rows().get(5),
                g.rows().get(7));
        String s = new SlurmArray("gpu", 1, 8, "12:00:00", "32G", 4).script(g, rows, Path.of("/opt/calf/data-scripts/calf"));
        assertTrue(s.contains("#SBATCH --array=0-2,5,7%4\n"), s);
        assertTrue(s.contains("#SBATCH --partition=gpu\n#SBATCH --time=12:00:00\n#SBATCH --mem=32G\n"), s);
        assertTrue(s.contains("#SBATCH --gpus-per-task=1\n") && s.contains("#SBATCH --requeue\n"), s);
        assertTrue(s.contains("  5) run=fpn-bce-r0.1-seed2; scale=full; args=(--data " + data + " --model fpn --loss bce "
                + "--ratio 0.1 --seed 2 --epochs 20 --recipe authors --protocol kit --split patients --out '"
                + dir.resolve("my grid/runs/fpn-bce-r0.1-seed2")
                + "' --resume) ;;\n"), s);
        assertFalse(s.contains("  3)"), "a row not asked for has no task");
        assertEquals("'it'\\''s'", SlurmArray.quote("it's"));
        assertThrows(IllegalArgumentException.class, () -> new SlurmArray("gpu; rm -rf ~", 0, 1, null, null, 0));
    }

    @Test
    void aGridFileThatIsNotAGridIsRefusedByNameAndLine(@TempDir Path dir) throws IOException {
        GridPlan g = GridPlan.of(dir.resolve("grid.csv"), List.of("unet"), List.of("bce"), List.of(0.5), List.of(1L, 2L),
                Scale.SMOKE, Protocol.KIT, null, null, 0, data);
        g.write();
        String text = Files.readString(g.file());
        Files.writeString(g.file(), text.replace("unet-bce-r0.5-seed2", "unet-bce-r0.5-seed9"));
        IOException e = assertThrows(IOException.class, () -> GridPlan.read(dir));
        assertTrue(e.getMessage().startsWith(g.file() + ", line 3: run 'unet-bce-r0.5-seed9' does not match"), e.getMessage());
        Files.writeString(g.file(), "model,loss\n");
        e = assertThrows(IOException.class, () -> GridPlan.read(g.file()));
        assertTrue(e.getMessage().contains(g.file() + ": not a grid file"), e.getMessage());
        GridPlan other = GridPlan.of(dir.resolve("grid.csv"), List.of("fpn"), List.of("bce"), List.of(0.5), List.of(1L),
                Scale.SMOKE, Protocol.KIT, null, null, 0, data);
        e = assertThrows(IOException.class, other::write);
        assertTrue(e.getMessage().contains("holds another grid"), e.getMessage());
        assertEquals("model,loss\n", Files.readString(g.file()), "a file that is there is never overwritten");
    }

    @Test
    void duplicateOrCollidingRowsAndOutOfRangeSeedsAreRefusedWhenPlanned(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GridPlan.of(dir.resolve("g.csv"),
                List.of("unet", "UNET"), List.of("bce"), List.of(0.5), List.of(1L), Scale.SMOKE, Protocol.KIT, null, null, 0, data));
        assertTrue(e.getMessage().startsWith("rows 0 and 1 are the same run, unet-bce-r0.5-seed1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GridPlan.of(dir.resolve("g.csv"), List.of("unet"),
                List.of("bce"), List.of(0.1001, 0.1004), List.of(1L), Scale.SMOKE, Protocol.KIT, null, null, 0, data));
        assertTrue(e.getMessage().contains("ratios are kept to 3 decimals"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GridPlan.of(dir.resolve("g.csv"), List.of("unet"),
                List.of("bce"), List.of(0.5), List.of(1L, 1L), Scale.SMOKE, Protocol.KIT, null, null, 0, data));
        assertTrue(e.getMessage().contains("same run"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GridPlan.of(dir.resolve("g.csv"), List.of("unet"),
                List.of("bce"), List.of(0.5), List.of(5_000_000_000L), Scale.SMOKE, Protocol.KIT, null, null, 0, data));
        assertTrue(e.getMessage().startsWith("seed must be in"), e.getMessage());
    }

    @Test
    void theAuthorsProtocolIsAColumnAndAGridPlannedBeforeItReadsAsTheKits(@TempDir Path dir) throws IOException {
        GridPlan g = GridPlan.of(dir.resolve("grid.csv"), List.of("unet"), List.of("dice", "calf"), List.of(0.5),
                List.of(1L), Scale.QUICK, Protocol.AUTHORS, null, null, 0, data);
        TrainConfig c = g.rows().get(1).config();
        assertEquals(Protocol.AUTHORS, c.protocol());
        assertEquals(Recipe.AUTHORS, c.effectiveRecipe());
        assertTrue(g.rows().get(0).trainArguments(dir).containsAll(List.of("--protocol", "authors")));
        ExperimentPlan plan = ExperimentPlan.forScale(Scale.QUICK, Protocol.AUTHORS);
        assertEquals(c.withSeed(1), plan.config("unet", "calf", 0.5, 1));
        g.write();
        assertEquals(g.rows(), GridPlan.read(dir).rows());

        GridPlan kit = GridPlan.of(dir.resolve("old/grid.csv"), List.of("unet"), List.of("bce"), List.of(0.5),
                List.of(1L, 2L), Scale.SMOKE, Protocol.KIT, null, null, 0, data);
        String old = kit.toCsv().replace(GridPlan.HEADER, GridPlan.HEADER_WITHOUT_PROTOCOL)
                .replace(",kit,patients,", ",");
        Files.createDirectories(kit.base());
        Files.writeString(kit.file(), old);
        assertEquals(kit.rows(), GridPlan.read(kit.file()).rows());
        kit.write(); // the same rows: rewritten with the protocol column, not refused
        assertEquals(kit.toCsv(), Files.readString(kit.file()));

        // Planned before the split column: each row splits as its protocol does.
        Files.createDirectories(dir.resolve("older"));
        Path older = dir.resolve("older/grid.csv");
        Files.writeString(older, g.toCsv().replace(GridPlan.HEADER, GridPlan.HEADER_WITHOUT_SPLIT)
                .replace(",authors,slices-per-patient,", ",authors,"));
        assertEquals(g.rows().stream().map(r -> r.run()).toList(), GridPlan.read(older).rows().stream().map(r -> r.run())
                .toList());
        assertEquals(RunData.SplitUnit.SLICE, GridPlan.read(older).rows().get(0).split());
    }

    @Test
    void theSplitIsAColumnOfItsOwnAndTravelsToCalfTrain(@TempDir Path dir) throws IOException {
        GridPlan g = GridPlan.of(dir.resolve("grid.csv"), List.of("fpn"), List.of("bce", "dice-authors"), List.of(0.1),
                List.of(1L), Scale.QUICK, Protocol.KIT, RunData.SplitUnit.SLICE, null, 0, data);
        assertTrue(g.toCsv().contains(",kit,slices,quick,"), g.toCsv());
        TrainConfig c = g.rows().get(0).config();
        assertEquals(Protocol.KIT, c.protocol());
        assertEquals(RunData.SplitUnit.SLICE, c.splitUnit());
        assertEquals(Recipe.KIT, c.effectiveRecipe());
        assertTrue(g.rows().get(0).trainArguments(dir).containsAll(List.of("--split", "slices")));
        g.write();
        assertEquals(g.rows(), GridPlan.read(dir).rows());
        // the kit's split, written out, gives the same config as a run planned without it (saved runs stay valid)
        GridPlan p = GridPlan.of(dir.resolve("p/grid.csv"), List.of("fpn"), List.of("bce"), List.of(0.1), List.of(1L),
                Scale.QUICK, Protocol.KIT, null, null, 0, data);
        assertEquals(RunData.SplitUnit.PATIENT, p.rows().get(0).split());
        assertEquals(ExperimentPlan.forScale(Scale.QUICK).config("fpn", "bce", 0.1, 1), p.rows().get(0).config());
        assertNull(p.rows().get(0).config().split(), "stored as null: the protocol's");
    }

    private static List<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
