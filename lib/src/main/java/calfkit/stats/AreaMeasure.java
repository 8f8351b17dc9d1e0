package calfkit.stats;

/** How a mask's foreground area is measured. */
public enum AreaMeasure {
    /** The number of foreground pixels: the kit's default. */
    PIXELS,
    /** The area enclosed by the objects' outer contours, as the authors' code measured it with OpenCV ({@link ContourArea}). */
    CONTOURS
}
