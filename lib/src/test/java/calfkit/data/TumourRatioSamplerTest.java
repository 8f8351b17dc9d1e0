package calfkit.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TumourRatioSamplerTest {

    /** 40 tumour and 60 empty slices: natural ratio 0.4. */
    private static List<Slice> slices() {
        List<Slice> s = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            s.add(new Slice("P" + i / 10, i % 10, "i" + i, "m" + i, i % 5 < 2 ? 10 + i : 0, 8, 8));
        }
        return s;
    }

    @Test
    void aboveTheNaturalRatioKeepsEveryTumourSlice() {
        TumourRatioSampler.Sample s = TumourRatioSampler.sample(slices(), 0.5, 1);
        assertEquals(40, s.tumour());
        assertEquals(40, s.empty());          // round(40 × 0.5 / 0.5)
        assertEquals(0.5, s.achieved(), 1e-12);
    }

    @Test
    void belowTheNaturalRatioKeepsEveryEmptySlice() {
        TumourRatioSampler.Sample s = TumourRatioSampler.sample(slices(), 0.1, 1);
        assertEquals(60, s.empty());
        assertEquals(7, s.tumour());          // round(60 × 0.1 / 0.9) = round(6.67)
        assertEquals(7.0 / 67, s.achieved(), 1e-12);
        assertEquals(67, s.slices().size());
        assertEquals(s.slices(), TumourRatioSampler.sample(slices(), 0.1, 1).slices());
    }

    @Test
    void endpointsAndTheNaturalRatio() {
        assertEquals(0, TumourRatioSampler.sample(slices(), 1, 1).empty());
        assertEquals(40, TumourRatioSampler.sample(slices(), 1, 1).tumour());
        assertEquals(0, TumourRatioSampler.sample(slices(), 0, 1).tumour());
        TumourRatioSampler.Sample natural = TumourRatioSampler.sample(slices(), Double.NaN, 1);
        assertEquals(100, natural.slices().size());
        assertEquals(0.4, natural.achieved(), 1e-12);
        assertEquals("tumour ratio 0.400 requested, 0.400 achieved: 40 tumour + 60 empty slices (of 40 + 60 available)",
                natural.toString());
    }

    @Test
    void ratioOutsideZeroOneIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TumourRatioSampler.sample(slices(), 1.2, 1));
        assertEquals("tumour ratio must be in [0, 1], got 1.2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TumourRatioSampler.sample(slices(), -0.1, 1));
    }
}
