package calfkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import calfkit.config.Protocol;
import calfkit.config.Scale;
import calfkit.data.RunData;
import calfkit.model.Initialisation;

/** A run's settings: the authors' recipe and protocol as presets, and configs saved before a setting existed. */
class TrainConfigTest {

    @Test
    void theAuthorsRecipeStartsAsPyTorchAndKeepsTheLastBatchTheKitsDoesNeither() {
        TrainConfig kit = TrainConfig.forScale(Scale.QUICK, "unet", "bce");
        assertEquals(Initialisation.KIT, kit.effectiveInit());
        assertFalse(kit.keepsLastBatch());
        assertFalse(kit.toJson().contains("init"), "a kit run's config.json is as before: " + kit.toJson());
        TrainConfig authors = TrainConfig.forScale(Scale.QUICK, Protocol.AUTHORS, "unet-authors", "bce");
        assertEquals(Initialisation.PYTORCH, authors.effectiveInit());
        assertTrue(authors.keepsLastBatch());
        assertEquals(RunData.SplitUnit.SLICE_PER_PATIENT, authors.splitUnit());
        TrainConfig recipeAlone = kit.toBuilder().recipe(Recipe.AUTHORS).init(Initialisation.KIT).build();
        assertEquals(Initialisation.KIT, recipeAlone.effectiveInit(), "one choice changed alone");
        assertTrue(recipeAlone.keepsLastBatch());
        assertEquals(authors, TrainConfig.fromJson(authors.toJson()), "read back as written");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kit.toBuilder().keepLastBatch(true).build());
        assertTrue(e.getMessage().contains("unstratified"), e.getMessage());
    }

    /**
     * A config.json of the authors' protocol saved before the start, the last batch and the per-patient split were
     * the recipe's: read as what it trained with, and not taken for a run planned now.
     */
    @Test
    void anAuthorsRunSavedBeforeKeepsItsMeaning() {
        TrainConfig now = TrainConfig.forScale(Scale.QUICK, Protocol.AUTHORS, "unet-authors", "bce");
        String before = now.toJson().replaceAll("(?m)^\\s*\"(init|keepLastBatch|split)\": [^\\n]*\\n", "")
                .replaceAll(",\\s*}", "\n}");
        TrainConfig saved = TrainConfig.fromJson(before);
        assertEquals(Initialisation.KIT, saved.effectiveInit(), before);
        assertFalse(saved.keepsLastBatch());
        assertEquals(RunData.SplitUnit.SLICE, saved.splitUnit());
        assertFalse(saved.sameRunAs(now));
        List<String> d = saved.differencesFrom(now);
        assertEquals(3, d.size(), d.toString());
        assertTrue(d.get(0).startsWith("init (saved unset, asked \"PYTORCH\")"), d.toString());
    }
}
