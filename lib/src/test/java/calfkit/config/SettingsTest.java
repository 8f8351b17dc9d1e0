package calfkit.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void scaleDefaultsToQuickAndParsesAnyCase() {
        assertEquals(Scale.QUICK, Scale.parse(null));
        assertEquals(Scale.QUICK, Scale.parse("  "));
        assertEquals(Scale.SMOKE, Scale.parse("smoke"));
        assertEquals(Scale.FULL, Scale.parse(" FULL "));
    }

    @Test
    void badScaleNamesTheValueAndTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scale.parse("huge"));
        assertEquals("CALF_SCALE='huge' is not a scale; expected one of smoke, quick, full", e.getMessage());
    }

    @Test
    void dataDefaultsToThePhantomDatasetPerScale() {
        Settings s = Settings.from(Map.of("CALF_SCALE", "smoke", "XDG_CACHE_HOME", "/tmp/cache"));
        assertEquals(Path.of("/tmp/cache/calf-kit/phantom-smoke-v" + Settings.PHANTOM_VERSION), s.dataDir());
        assertFalse(s.dataFromEnvironment());
    }

    @Test
    void calfDataPointsAtARealDataset() {
        Settings s = Settings.from(Map.of("CALF_DATA", "/data/brats2d/"));
        assertEquals(Path.of("/data/brats2d"), s.dataDir());
        assertTrue(s.dataFromEnvironment());
        assertEquals(Scale.QUICK, s.scale());
    }
}
