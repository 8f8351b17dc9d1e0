package calfkit.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import calfkit.model.Models;

class RunRandomTest {

    @Test
    void locksForwardPassesOnlyForModelsWithDropout() {
        // Whether a forward pass draws: DeepLabV3 and the paper-sized FPN have Dropout, the U-Net and the quick FPN
        // none (an identity in its place).
        assertTrue(new RunRandom(1, Models.create("fpn", Models.Size.PAPER)).masks(0, RunRandomTest::lockedHere));
        assertFalse(new RunRandom(1, Models.create("fpn", Models.Size.QUICK)).masks(0, RunRandomTest::lockedHere));
        assertTrue(new RunRandom(1, Models.create("deeplabv3", Models.Size.QUICK)).masks(0, RunRandomTest::lockedHere));
        assertFalse(new RunRandom(1, Models.create("unet", Models.Size.QUICK)).masks(0, RunRandomTest::lockedHere));
    }

    private static boolean lockedHere() {
        return RunRandom.heldByThisThread();
    }

    @Test
    void seedsDifferAcrossRunsAndSteps() {
        Set<Integer> seen = new HashSet<>();
        for (long seed : new long[] {2, 3, 12345}) {
            for (long step = 0; step < 1000; step++) {
                int s = RunRandom.seedOf(seed, step);
                assertTrue(s >= 0);
                assertTrue(seen.add(s), "seed " + seed + " step " + step + " repeats a generator seed");
                assertEquals(s, RunRandom.seedOf(seed, step));
            }
        }
    }
}
