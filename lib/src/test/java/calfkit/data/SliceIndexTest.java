package calfkit.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import calfkit.config.Scale;
import calfkit.data.phantom.PhantomConfig;
import calfkit.data.phantom.PhantomGenerator;
import calfkit.image.png.PngWriter;

class SliceIndexTest {

    @TempDir
    Path dir;
    private SliceIndex index;

    @BeforeEach
    void generate() throws IOException {
        index = new PhantomGenerator(PhantomConfig.forScale(Scale.SMOKE).withPatients(10, 10)).generate(dir.resolve("ds"), false);
    }

    @Test
    void buildReportsBadPairsByName() throws IOException {
        Path root = dir.resolve("ds");
        Files.delete(root.resolve("P0002/masks/0003.png"));
        new PngWriter().write(root.resolve("P0003/masks/0004.png"), new byte[10 * 12], 10, 12);
        Files.writeString(root.resolve("P0004/images/0005.png"), "garbage");
        IOException missing = assertThrows(IOException.class, () -> SliceIndex.build(root, false, System.out));
        assertEquals(root.resolve("P0002/images/0003.png") + ": its mask " + root.resolve("P0002/masks/0003.png")
                + " is missing", missing.getMessage());
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        SliceIndex built = SliceIndex.build(root, true, new PrintStream(report, true, StandardCharsets.UTF_8));
        assertEquals(100 - 3, built.slices().size());
        String text = report.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("P0003/masks/0004.png: mask is 10x12 but its image"), text);
        assertTrue(text.contains("P0004/images/0005.png: not a PNG file"), text);
        assertTrue(text.contains("skipped 3 bad pair(s); indexed 97"), text);
    }

    @Test
    void slicesOfTwoSizesAndNamesTheIndexCannotHoldAreRefusedByName() throws IOException {
        Path root = dir.resolve("ds");
        // A slice of another size (image and mask agree): batches cannot stack it with the others.
        new PngWriter().write(root.resolve("P0005/images/0002.png"), new byte[10 * 12], 10, 12);
        new PngWriter().write(root.resolve("P0005/masks/0002.png"), new byte[10 * 12], 10, 12);
        IOException sizes = assertThrows(IOException.class, () -> SliceIndex.build(root, true, System.out));
        assertTrue(sizes.getMessage().startsWith(root + ": slices of 2 sizes (10x12: 1 slice(s), e.g. P0005/images/0002.png, "),
                sizes.getMessage());
        // The same through an index edited by hand.
        Path file = root.resolve("index.csv");
        List<String> lines = Files.readAllLines(file);
        lines.set(1, lines.get(1).replaceAll(",64,64$", ",32,32"));
        Files.write(file, lines);
        IOException edited = assertThrows(IOException.class, () -> SliceIndex.read(root));
        assertTrue(edited.getMessage().startsWith(file + ": slices of 2 sizes (32x32: 1 slice(s)"), edited.getMessage());

        for (String name : List.of("P,0009", "P\"0009", "P\n0009")) {
            Path other = dir.resolve("names-" + name.length() + name.hashCode());
            Files.createDirectories(other.resolve(name).resolve("images"));
            Files.createDirectories(other.resolve(name).resolve("masks"));
            new PngWriter().write(other.resolve(name).resolve("images/0000.png"), new byte[4], 2, 2);
            new PngWriter().write(other.resolve(name).resolve("masks/0000.png"), new byte[4], 2, 2);
            IOException e = assertThrows(IOException.class, () -> SliceIndex.build(other, false, System.out));
            assertTrue(e.getMessage().startsWith(other.resolve(name) + ": its name holds a")
                    && e.getMessage().endsWith("which index.csv (comma-separated) cannot hold; rename it"), e.getMessage());
        }
    }

    @Test
    void readRejectsAMissingOrBrokenIndex() throws IOException {
        IOException none = assertThrows(IOException.class, () -> SliceIndex.read(dir));
        assertTrue(none.getMessage().contains("no index.csv"), none.getMessage());
        Path file = dir.resolve("ds/index.csv");
        List<String> lines = Files.readAllLines(file);
        lines.set(3, "P0001,x,a,b,1,1,64,64");
        Files.write(file, lines);
        IOException bad = assertThrows(IOException.class, () -> SliceIndex.read(dir.resolve("ds")));
        assertTrue(bad.getMessage().startsWith(file + " line 4: "), bad.getMessage());
    }

    @Test
    void indexRowsThatLeaveTheDatasetRepeatOrLieAreRefused() throws IOException {
        Path root = dir.resolve("ds");
        Path file = root.resolve("index.csv");
        List<String> good = Files.readAllLines(file);
        String row = good.get(1);
        String[] f = row.split(",");
        Files.writeString(dir.resolve("secret.png"), "outside");
        for (String image : List.of("/etc/passwd", "../secret.png", "P0001/../../secret.png", "")) {
            List<String> lines = new java.util.ArrayList<>(good);
            f[2] = image;
            lines.set(1, String.join(",", f));
            Files.write(file, lines);
            IOException e = assertThrows(IOException.class, () -> SliceIndex.read(root), image);
            assertTrue(e.getMessage().startsWith(file + " line 2: image path '" + image + "'"), e.getMessage());
        }
        List<String> twice = new java.util.ArrayList<>(good);
        twice.add(row);
        Files.write(file, twice);
        IOException dup = assertThrows(IOException.class, () -> SliceIndex.read(root));
        assertTrue(dup.getMessage().contains("line " + twice.size() + ": image " + row.split(",")[2] + " is listed twice"),
                dup.getMessage());
        // A link inside the dataset that points outside, a missing file and a directory all get one message, which
        // does not tell whether the outside file exists.
        Files.write(file, good);
        Slice s = SliceIndex.read(root).slices().get(0);
        Path image = root.resolve(s.image());
        Files.delete(image);
        Files.createSymbolicLink(image, dir.resolve("secret.png"));
        IOException link = assertThrows(IOException.class, () -> SliceIndex.read(root).imagePath(s));
        Files.delete(image);
        IOException missing = assertThrows(IOException.class, () -> SliceIndex.read(root).imagePath(s));
        Files.createDirectory(image);
        IOException folder = assertThrows(IOException.class, () -> SliceIndex.read(root).imagePath(s));
        String expected = image + ": listed in " + file + " but not a readable regular file inside the dataset folder " + root;
        assertEquals(expected, link.getMessage());
        assertEquals(expected, missing.getMessage());
        assertEquals(expected, folder.getMessage());
    }

    @Test
    void aMaskThatDisagreesWithItsIndexAreaIsAnError() throws IOException {
        Path root = dir.resolve("ds");
        Path file = root.resolve("index.csv");
        List<String> lines = Files.readAllLines(file);
        int row = 1;
        while (lines.get(row).split(",")[4].equals("0")) {
            row++;
        }
        String[] f = lines.get(row).split(",");
        long area = Long.parseLong(f[4]);
        f[4] = Long.toString(area + 5);
        lines.set(row, String.join(",", f));
        Files.write(file, lines);
        SliceIndex lying = SliceIndex.read(root);
        Slice s = lying.slices().get(row - 1);
        SliceDataset ds = SliceDataset.builder().slices(lying, List.of(s)).setSampling(1, false).build();
        IOException e = assertThrows(IOException.class, () -> ds.load(s));
        assertEquals(root.resolve(f[3]) + ": the mask has " + area + " tumour pixels, the index " + file + " says "
                + (area + 5) + "; rebuild the index (calf index " + root + ")", e.getMessage());
    }

    @Test
    void verifyNamesEveryLineThatDisagreesWithItsFiles() throws IOException {
        Path root = dir.resolve("ds");
        assertEquals(0, SliceIndex.read(root).verify(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        Path file = root.resolve("index.csv");
        List<String> lines = Files.readAllLines(file);
        String[] f = lines.get(3).split(",");
        long area = Long.parseLong(f[4]);
        f[4] = Long.toString(area + 2);
        f[6] = "31";
        lines.set(3, String.join(",", f));
        Files.write(file, lines);
        Files.delete(root.resolve(lines.get(7).split(",")[3]));
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        assertEquals(2, SliceIndex.readAsWritten(root).verify(new PrintStream(report, true, StandardCharsets.UTF_8)));
        String text = report.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(file + " line 4: " + f[3] + ": area " + (area + 2) + " but the mask has " + area
                + " foreground pixels; size 31x"), text);
        assertTrue(text.contains(file + " line 8: " + root.resolve(lines.get(7).split(",")[3]) + ": listed in "), text);
    }

    @Test
    void patientSplitKeepsPatientsOnOneSide() {
        PatientSplit s = PatientSplit.of(index, 0.1, 12345);
        assertEquals(1, s.testPatients().size());
        assertEquals(9, s.trainPatients().size());
        Set<String> train = new HashSet<>(s.trainPatients());
        assertTrue(s.test().stream().noneMatch(x -> train.contains(x.patient())));
        assertEquals(100, s.train().size() + s.test().size());
        assertEquals(s, PatientSplit.of(index, 0.1, 12345));
        assertNotEquals(s.testPatients(), PatientSplit.of(index, 0.1, 1).testPatients());
        assertThrows(IllegalArgumentException.class, () -> PatientSplit.of(index, 1.5, 1));
    }

    /**
     * The authors' split: every patient gives the same share of its slices to the test side (10 of 100 slices here:
     * one of each patient's 10), the rest are trained on, and the curves come from training slices.
     */
    @Test
    void perPatientSplitTakesTheSameShareOfEveryPatientAndTrainsOnTheRest() {
        PatientSplit s = PatientSplit.perPatient(index, 0.1, 12345);
        java.util.Map<String, Long> perPatient = s.test().stream()
                .collect(java.util.stream.Collectors.groupingBy(Slice::patient, java.util.stream.Collectors.counting()));
        assertEquals(10, perPatient.size(), "every patient on the test side");
        assertTrue(perPatient.values().stream().allMatch(n -> n == 1), "one of each patient's 10 slices: " + perPatient);
        assertEquals(100, s.train().size() + s.test().size());
        assertTrue(java.util.Collections.disjoint(s.train(), s.test()));
        assertEquals(s, PatientSplit.perPatient(index, 0.1, 12345));
        assertNotEquals(s.test(), PatientSplit.perPatient(index, 0.1, 1).test());
        RunData data = RunData.of(index, Double.NaN, 12345, RunData.SplitUnit.SLICE_PER_PATIENT);
        assertEquals(s.test(), data.split().test());
        assertEquals(new HashSet<>(s.train()), new HashSet<>(data.sample().slices()), "every non-test slice trained on");
        assertTrue(data.validationIsTrained() && s.train().containsAll(data.validation()) && !data.validation().isEmpty());
        assertTrue(!RunData.of(index, Double.NaN, 12345, RunData.SplitUnit.SLICE).validationIsTrained());
    }

    @Test
    void datasetRecordsAreImageAndMaskOfOneSlice() throws IOException {
        SliceDataset ds = SliceDataset.builder().slices(index, index.slices()).setSampling(4, false).build();
        Slice tumour = index.slices().stream().filter(Slice::tumour).findFirst().orElseThrow();
        int i = index.slices().indexOf(tumour);
        try (NDManager m = NDManager.newBaseManager()) {
            Record r = ds.get(m, i);
            assertEquals(new ai.djl.ndarray.types.Shape(1, 64, 64), r.getData().head().getShape());
            assertEquals(tumour.area(), (long) r.getLabels().head().sum().getFloat());
            float max = r.getData().head().max().getFloat();
            assertTrue(max > 0.5f && max <= 1f, "image in [0, 1]: " + max);
        }
    }

    @Test
    void augmentationIsSeededAndKeepsMasksBinary() throws IOException {
        SliceDataset a = SliceDataset.builder().slices(index, index.slices()).optAugment(Augment.TRAINING).optSeed(5)
                .setSampling(4, true).build();
        SliceDataset b = SliceDataset.builder().slices(index, index.slices()).optAugment(Augment.TRAINING).optSeed(5)
                .setSampling(4, true).build();
        Slice s = index.slices().stream().filter(Slice::tumour).findFirst().orElseThrow();
        float[][] x = a.load(s);
        float[][] y = b.load(s);
        assertArrayEquals(x[0], y[0]);
        assertArrayEquals(x[1], y[1]);
        for (float v : x[1]) {
            assertTrue(v == 0f || v == 1f);
        }
        a.setEpoch(1);
        assertFalse(java.util.Arrays.equals(x[0], a.load(s)[0]));
    }
}
