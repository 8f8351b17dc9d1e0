package calfkit.data.phantom;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import calfkit.config.Scale;
import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.stats.AreaDistribution;
import calfkit.stats.BranchDecision;
import calfkit.stats.EmptyMasks;
import calfkit.stats.Rule;

class PhantomGeneratorTest {

    @TempDir
    Path dir;

    private static final PhantomConfig SMALL = PhantomConfig.forScale(Scale.SMOKE).withPatients(12, 20).withSize(96);

    @Test
    void eachRulePresetLandsInItsBranchOfTable2() {
        // Measured on the rendered masks' pixel counts, all slices with tumour (so empty masks play no part).
        for (Rule rule : new Rule[] {Rule.FISHER_S_LE_MINUS_1, Rule.LOGIT_S_IN_MINUS_1_MINUS_HALF,
            Rule.ARCSINE_S_IN_MINUS_HALF_0, Rule.LOG10_S_GE_1, Rule.LN_S_IN_HALF_1, Rule.LOG10_S_IN_0_HALF_K_NEG,
            Rule.BCE_DICE_S_IN_0_HALF_K_NONNEG}) {
            PhantomGenerator g = new PhantomGenerator(SMALL.withTumourFraction(1).withAreas(TumourAreas.forRule(rule)));
            long[] areas = new long[SMALL.patients() * SMALL.slicesPerPatient()];
            int k = 0;
            for (int p = 0; p < SMALL.patients(); p++) {
                for (int z = 0; z < SMALL.slicesPerPatient(); z++) {
                    areas[k++] = g.render(p, z).area();
                }
            }
            BranchDecision d = BranchDecision.of(AreaDistribution.of(areas, EmptyMasks.INCLUDE));
            assertEquals(rule, d.rule(), rule + ": " + d);
        }
    }

    @Test
    void sameSeedSameBytesAndTumoursGrowAndShrink() throws IOException {
        PhantomGenerator a = new PhantomGenerator(SMALL);
        PhantomGenerator b = new PhantomGenerator(SMALL);
        assertArrayEquals(a.render(3, 10).image(), b.render(3, 10).image());
        assertArrayEquals(a.render(3, 10).mask(), b.render(3, 10).mask());
        assertFalse(java.util.Arrays.equals(a.render(3, 10).image(), new PhantomGenerator(SMALL.withSeed(99)).render(3, 10).image()));
        for (int p = 0; p < SMALL.patients(); p++) {
            double[] plan = a.plannedAreas(p);
            // Tumour slices are contiguous, rise to one peak and fall.
            int first = -1;
            int last = -1;
            for (int z = 0; z < plan.length; z++) {
                if (plan[z] > 0) {
                    last = z;
                    if (first < 0) {
                        first = z;
                    }
                }
            }
            int peak = first;
            for (int z = first; z <= last; z++) {
                assertTrue(plan[z] > 0, "gap in patient " + p);
                if (plan[z] > plan[peak]) {
                    peak = z;
                }
            }
            for (int z = first; z < peak; z++) {
                assertTrue(plan[z] <= plan[z + 1], "patient " + p + " does not grow up to its peak");
            }
            for (int z = peak; z < last; z++) {
                assertTrue(plan[z] >= plan[z + 1], "patient " + p + " does not shrink after its peak");
            }
        }
    }

    @Test
    void writesTheLayoutWithTheRequestedTumourFraction() throws IOException {
        SliceIndex index = new PhantomGenerator(SMALL).generate(dir.resolve("ds"), false);
        assertEquals(240, index.slices().size());
        assertEquals(Math.round(240 * 0.409), index.tumourCount());
        assertEquals(12, index.patients().size());
        Slice s = index.slices().get(0);
        assertTrue(Files.isRegularFile(index.imagePath(s)));
        assertTrue(Files.isRegularFile(index.maskPath(s)));
        // The index read back equals the one written, and an index built from the files agrees.
        assertEquals(index.slices(), SliceIndex.read(dir.resolve("ds")).slices());
        assertEquals(index.slices(), SliceIndex.build(dir.resolve("ds"), false, System.out).slices());
        IOException e = assertThrows(IOException.class, () -> new PhantomGenerator(SMALL).generate(dir.resolve("ds"), false));
        assertTrue(e.getMessage().contains("exists and is not empty"), e.getMessage());
    }

    @Test
    void annotationBiasChangesTheMasks() {
        PhantomConfig c = SMALL.withTumourFraction(1);
        long exact = 0;
        long dilated = 0;
        long polygon = 0;
        PhantomGenerator ge = new PhantomGenerator(c);
        PhantomGenerator gd = new PhantomGenerator(c.withBias(AnnotationBias.DILATED, 3));
        PhantomGenerator gp = new PhantomGenerator(c.withBias(AnnotationBias.POLYGON, 0));
        for (int z = 0; z < c.slicesPerPatient(); z++) {
            exact += ge.render(0, z).area();
            dilated += gd.render(0, z).area();
            polygon += gp.render(0, z).area();
            // The image is the same; only the annotation differs.
            assertArrayEquals(ge.render(0, z).image(), gd.render(0, z).image());
        }
        assertTrue(dilated > exact * 1.1, dilated + " vs " + exact);
        assertNotEquals(exact, polygon);
    }

    @Test
    void biasedDatasetsKeepTheTrueTumoursBesideTheMasks() throws IOException {
        PhantomConfig c = PhantomConfig.forScale(Scale.SMOKE).withPatients(2, 8).withSize(64).withTumourFraction(1);
        SliceIndex exact = new PhantomGenerator(c).generate(dir.resolve("exact"), false);
        SliceIndex polygon = new PhantomGenerator(c.withBias(AnnotationBias.POLYGON, 0)).generate(dir.resolve("poly"), false);
        assertFalse(Files.exists(PhantomGenerator.truthPath(exact, exact.slices().get(0))));
        calfkit.image.png.PngReader reader = new calfkit.image.png.PngReader();
        long truth = 0;
        long annotated = 0;
        for (int i = 0; i < polygon.slices().size(); i++) {
            Slice s = polygon.slices().get(i);
            // The true tumour of the polygon dataset is the exact dataset's mask of the same slice.
            long t = reader.area(PhantomGenerator.truthPath(polygon, s));
            assertEquals(exact.slices().get(i).area(), t, s.image());
            truth += t;
            annotated += s.area();
        }
        assertTrue(annotated > truth, "polygons drawn outside the outline: " + annotated + " vs " + truth);
    }
}
