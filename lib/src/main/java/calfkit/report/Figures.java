package calfkit.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;

import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.image.png.PngReader;

/**
 * Slice pictures: an MRI slice in gray with its mask, or with a prediction coloured against the truth
 * (true positive green, false positive red, false negative blue), laid out in a grid with captions.
 */
public final class Figures {

    /** The truth drawn on its own: yellow, a colour the error maps below do not use. */
    private static final int TRUTH = 0xffd000;
    private static final int TP = 0x22cc44;
    private static final int FP = 0xee3333;
    private static final int FN = 0x3366ff;

    private Figures() {
    }

    /** A slice with its mask in translucent yellow (red, green and blue mark the errors of {@link #errors}). */
    public static BufferedImage overlay(byte[] gray, byte[] mask, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < w * h; i++) {
            int v = gray[i] & 0xff;
            int rgb = mask[i] != 0 ? mix(v, TRUTH, 0.45) : (v << 16) | (v << 8) | v;
            img.setRGB(i % w, i / w, rgb);
        }
        return img;
    }

    /** A slice with a prediction against the truth: TP green, FP red, FN blue. */
    public static BufferedImage errors(byte[] gray, float[] truth, boolean[] predicted, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < w * h; i++) {
            int v = gray[i] & 0xff;
            boolean t = truth[i] > 0.5f;
            boolean p = predicted[i];
            int rgb = t && p ? mix(v, TP, 0.5) : p ? mix(v, FP, 0.6) : t ? mix(v, FN, 0.6) : (v << 16) | (v << 8) | v;
            img.setRGB(i % w, i / w, rgb);
        }
        return img;
    }

    /** Slices of a dataset with their masks, in a grid, each captioned with its patient, slice and area. */
    public static BufferedImage slices(SliceIndex index, List<Slice> slices, int columns, int cell) throws IOException {
        PngReader reader = new PngReader();
        BufferedImage[] tiles = new BufferedImage[slices.size()];
        String[] captions = new String[slices.size()];
        for (int k = 0; k < slices.size(); k++) {
            Slice s = slices.get(k);
            byte[] gray = reader.readGray8(index.imagePath(s));
            int w = reader.width();
            int h = reader.height();
            byte[] mask = reader.read(index.maskPath(s));
            tiles[k] = overlay(gray, mask, w, h);
            captions[k] = s.patient() + " #" + s.slice() + "  area " + s.area();
        }
        return grid(tiles, captions, columns, cell);
    }

    /** Tiles scaled to {@code cell} pixels, in a grid with a caption under each. */
    public static BufferedImage grid(BufferedImage[] tiles, String[] captions, int columns, int cell) {
        int rows = (tiles.length + columns - 1) / columns;
        int captionHeight = 16;
        BufferedImage out = new BufferedImage(columns * (cell + 6), rows * (cell + captionHeight + 6), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int k = 0; k < tiles.length; k++) {
            int x = (k % columns) * (cell + 6) + 3;
            int y = (k / columns) * (cell + captionHeight + 6) + 3;
            g.drawImage(tiles[k], x, y, cell, cell, null);
            g.setColor(Color.BLACK);
            g.drawString(captions[k], x, y + cell + 12);
        }
        g.dispose();
        return out;
    }

    private static int mix(int gray, int rgb, double a) {
        int r = (int) ((1 - a) * gray + a * ((rgb >> 16) & 0xff));
        int gg = (int) ((1 - a) * gray + a * ((rgb >> 8) & 0xff));
        int b = (int) ((1 - a) * gray + a * (rgb & 0xff));
        return (r << 16) | (gg << 8) | b;
    }
}
