package calfkit.stats;

/** How a mask's foreground area is measured. */
public enum AreaMeasure {
    /** The number of foreground pixels: the kit's default. */
    PIXELS,
    /** The summed area of every contour, holes included, as the authors' code measured it with OpenCV (RETR_TREE: {@link ContourArea}). */
    CONTOURS
}
