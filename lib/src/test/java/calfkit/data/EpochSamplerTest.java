package calfkit.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class EpochSamplerTest {

    @Test
    void eachEpochDrawsDistinctRecordsDeterministicallyAndDifferently() {
        EpochSampler s = new EpochSampler(7, 256, 8);
        List<Long> e0 = s.order(1020, 0);
        assertEquals(256, e0.size());
        assertEquals(256, new HashSet<>(e0).size(), "no record twice in an epoch");
        assertTrue(e0.stream().allMatch(i -> i >= 0 && i < 1020));
        assertEquals(e0, new EpochSampler(7, 256, 8).order(1020, 0), "the same for the same seed and epoch");
        assertNotEquals(e0, s.order(1020, 1), "another epoch draws other records");
        assertNotEquals(e0, new EpochSampler(8, 256, 8).order(1020, 0), "another seed draws other records");
        Set<Long> seen = new HashSet<>();
        for (int epoch = 0; epoch < 8; epoch++) {
            seen.addAll(s.order(1020, epoch));
        }
        assertTrue(seen.size() > 800, "8 epochs of 256 see most of 1020 records, saw " + seen.size());
    }

    @Test
    void zeroMeansAllAndSmallDatasetsGiveAll() {
        assertEquals(100, new EpochSampler(1, 0, 8).order(100, 3).size());
        assertEquals(100, new EpochSampler(1, 256, 8).order(100, 3).size());
        assertEquals(100, new EpochSampler(1, 256, 8).perEpoch(100));
        assertThrows(IllegalArgumentException.class, () -> new EpochSampler(1, -1, 8));
        assertThrows(IllegalArgumentException.class, () -> new EpochSampler(1, 16, 0));
    }

    /** As PyTorch's DataLoader without drop_last, the authors': 1020 records in batches of 32 are 31 full and 28. */
    @Test
    void aLastPartialBatchIsKeptWhenAskedAndDroppedOtherwise() {
        List<Long> drawn = new EpochSampler(3, 0, 32).order(1020, 0);
        EpochSampler keep = new EpochSampler(3, 0, 32, false, true);
        List<List<Long>> kept = keep.batches(drawn, i -> false, 0);
        assertEquals(32, kept.size());
        assertEquals(28, kept.get(31).size());
        assertEquals(drawn, kept.stream().flatMap(List::stream).toList(), "every record once, in the drawn order");
        assertEquals(32, keep.steps(1020));
        EpochSampler drop = new EpochSampler(3, 0, 32, false, false);
        assertEquals(31, drop.batches(drawn, i -> false, 0).size());
        assertEquals(31, drop.steps(1020));
        assertThrows(IllegalArgumentException.class, () -> new EpochSampler(3, 0, 32, true, true));
    }

    @Test
    void stratifiedBatchesKeepTheTumourCountAndSpreadItEvenly() {
        EpochSampler s = new EpochSampler(7, 256, 8, true);
        List<Long> drawn = s.order(1020, 3);
        java.util.function.LongPredicate tumour = i -> i % 10 == 0; // ratio 0.1
        List<List<Long>> batches = s.stratify(drawn, tumour, 3);
        assertEquals(32, batches.size());
        Set<Long> all = new HashSet<>();
        int tumours = 0;
        for (List<Long> b : batches) {
            assertEquals(8, b.size());
            all.addAll(b);
            long t = b.stream().filter(tumour::test).count();
            tumours += (int) t;
            assertTrue(t <= 1 + drawn.stream().filter(tumour::test).count() / 32, "batch holds " + t + " tumour slices");
        }
        assertEquals(new HashSet<>(drawn), all, "the same records as the plain order, each once");
        assertEquals(drawn.stream().filter(tumour::test).count(), tumours, "the epoch's tumour count unchanged");
        long empty = batches.stream().filter(b -> b.stream().noneMatch(tumour::test)).count();
        assertEquals(Math.max(0, 32 - tumours), empty, "only the batches that the tumour count cannot fill are empty");
        assertEquals(batches, s.stratify(drawn, tumour, 3), "deterministic for (seed, epoch)");
    }
}
