package calfkit.train;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One finished epoch of a run: a row of its {@code metrics.csv}, written and read here only.
 *
 * @param epoch         1-based epoch number
 * @param trainLoss     mean training loss over the epoch's batches
 * @param valLoss       mean validation loss
 * @param valDsc        validation DSC, pooled (counts summed over the validation set)
 * @param valDscAuthors validation DSC in the authors' reduction (per batch, 0/0 = 1, averaged)
 * @param valIou        validation IoU, pooled
 * @param valAccuracy   validation pixel accuracy
 * @param learningRate  the learning rate at the epoch's last step
 * @param seconds       the epoch's wall time, validation included
 * @param branch        CALF's branch (dataset scope) or branch counts (per batch); empty for other losses
 */
public record EpochRow(int epoch, double trainLoss, double valLoss, double valDsc, double valDscAuthors, double valIou,
                       double valAccuracy, double learningRate, double seconds, String branch) {

    /** The header of {@code metrics.csv}; the columns in this order. */
    public static final String HEADER = "epoch,train_loss,val_loss,val_dsc,val_dsc_authors,val_iou,val_accuracy,lr,seconds,branch";

    /** The numeric columns a chart can plot, by their header names. */
    public static final List<String> NUMERIC = List.of("train_loss", "val_loss", "val_dsc", "val_dsc_authors", "val_iou",
            "val_accuracy", "lr", "seconds");

    public String toCsv() {
        return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6g,%.1f,%s", epoch, trainLoss, valLoss, valDsc,
                valDscAuthors, valIou, valAccuracy, learningRate, seconds, branch.replace(',', ' '));
    }

    /**
     * The row as its line of {@code metrics.csv} holds it (six decimals, the seconds to a tenth), so that what a run
     * just trained reports is what reading its folder back gives.
     */
    public EpochRow asRecorded() {
        return parse(HEADER, toCsv());
    }

    /** A numeric column by its header name ({@link #NUMERIC}). */
    public double value(String column) {
        return switch (column) {
            case "train_loss" -> trainLoss;
            case "val_loss" -> valLoss;
            case "val_dsc" -> valDsc;
            case "val_dsc_authors" -> valDscAuthors;
            case "val_iou" -> valIou;
            case "val_accuracy" -> valAccuracy;
            case "lr" -> learningRate;
            case "seconds" -> seconds;
            default -> throw new IllegalArgumentException("no column '" + column + "' in metrics.csv; expected one of "
                    + String.join(", ", NUMERIC));
        };
    }

    /**
     * Parses a row under its file's header. Files written before this format (no {@code val_dsc_authors}, no
     * {@code lr}; their {@code val_dsc} was the authors' reduction) read with the missing columns as NaN.
     *
     * @throws IllegalArgumentException naming the line when it does not fit the header
     */
    public static EpochRow parse(String header, String line) {
        String[] names = header.split(",", -1);
        String[] f = line.split(",", -1);
        if (f.length != names.length) {
            throw new IllegalArgumentException("'" + line + "' has " + f.length + " fields; the header '" + header
                    + "' has " + names.length);
        }
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            v.put(names[i].trim(), f[i].trim());
        }
        boolean old = !v.containsKey("val_dsc_authors");
        try {
            return new EpochRow(Integer.parseInt(v.get("epoch")), num(v, "train_loss"), num(v, "val_loss"),
                    old ? Double.NaN : num(v, "val_dsc"), old ? num(v, "val_dsc") : num(v, "val_dsc_authors"),
                    num(v, "val_iou"), num(v, "val_accuracy"), num(v, "lr"), num(v, "seconds"),
                    v.getOrDefault("branch", ""));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("'" + line + "' is not a metrics row under '" + header + "'", e);
        }
    }

    private static double num(Map<String, String> v, String key) {
        String s = v.get(key);
        return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
