package calfkit.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import calfkit.testing.PythonReference;

/** PilBilinear against Pillow's Image.resize(BILINEAR), up and down, grey images and 0/255 masks. */
@Tag("reference")
class PilBilinearTest {

    private static final Gson GSON = new Gson();

    private record Case(String id, byte[] pixels, int w, int h, int ow, int oh) {
    }

    @Test
    void matchesPillowPixelForPixel() {
        Random r = new Random(9);
        Case[] cases = {
            grey("grey up", r, 40, 30, 64, 48),
            grey("grey down", r, 50, 40, 23, 17),
            grey("grey 240 to 256", r, 240, 240, 256, 256),
            mask("mask 240 to 256", r, 240, 240, 256, 256),
            mask("mask 48 to 256", r, 48, 48, 256, 256),
            mask("mask down", r, 64, 64, 40, 40),
        };
        JsonArray list = new JsonArray();
        for (Case c : cases) {
            JsonObject o = new JsonObject();
            o.addProperty("id", c.id());
            int[] px = new int[c.pixels().length];
            for (int i = 0; i < px.length; i++) {
                px[i] = c.pixels()[i] & 0xff;
            }
            o.add("pixels", GSON.toJsonTree(px));
            o.addProperty("w", c.w());
            o.addProperty("h", c.h());
            o.addProperty("ow", c.ow());
            o.addProperty("oh", c.oh());
            list.add(o);
        }
        JsonObject request = new JsonObject();
        request.add("pil_resize", list);
        JsonObject ref = PythonReference.run(request);
        for (Case c : cases) {
            int[] expected = GSON.fromJson(ref.getAsJsonObject(c.id()).get("pixels"), int[].class);
            byte[] got = PilBilinear.resize(c.pixels(), c.w(), c.h(), c.ow(), c.oh());
            int[] g = new int[got.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = got[i] & 0xff;
            }
            assertArrayEquals(expected, g, c.id());
        }
    }

    /**
     * A radius-2 disc (13 pixels) of a 240 × 240 mask, resized to 256 × 256 and thresholded at &gt; 0 as the
     * authors' loader does: every pixel the triangle filter touches stays, and the disc more than doubles, in
     * Pillow and here alike (the area would scale to 13 · (256/240)² ≈ 14.8).
     */
    @Test
    void smallMasksGrowWhenResizedAndThresholded() {
        byte[] disc = new byte[240 * 240];
        int[] px = new int[disc.length];
        int area = 0;
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 240; x++) {
                if ((x - 100) * (x - 100) + (y - 120) * (y - 120) <= 4) {
                    disc[y * 240 + x] = (byte) 255;
                    px[y * 240 + x] = 255;
                    area++;
                }
            }
        }
        assertEquals(13, area);
        JsonObject o = new JsonObject();
        o.addProperty("id", "disc");
        o.add("pixels", GSON.toJsonTree(px));
        o.addProperty("w", 240);
        o.addProperty("h", 240);
        o.addProperty("ow", 256);
        o.addProperty("oh", 256);
        JsonArray list = new JsonArray();
        list.add(o);
        JsonObject request = new JsonObject();
        request.add("pil_resize", list);
        int pillow = 0;
        for (int v : GSON.fromJson(PythonReference.run(request).getAsJsonObject("disc").get("pixels"), int[].class)) {
            pillow += v != 0 ? 1 : 0;
        }
        int grown = 0;
        for (byte b : PilBilinear.resize(disc, 240, 240, 256, 256)) {
            grown += b != 0 ? 1 : 0;
        }
        assertEquals(pillow, grown);
        assertTrue(grown > 2 * area, "grown to " + grown);
    }

    private static Case grey(String id, Random r, int w, int h, int ow, int oh) {
        byte[] p = new byte[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) r.nextInt(256);
        }
        return new Case(id, p, w, h, ow, oh);
    }

    private static Case mask(String id, Random r, int w, int h, int ow, int oh) {
        byte[] p = new byte[w * h];
        for (int k = 0; k < 6; k++) {
            int cx = r.nextInt(w);
            int cy = r.nextInt(h);
            int rad = 1 + r.nextInt(6);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= rad * rad) {
                        p[y * w + x] = (byte) 255;
                    }
                }
            }
        }
        return new Case(id, p, w, h, ow, oh);
    }
}
