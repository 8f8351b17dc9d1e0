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
}
