package calfkit.data.phantom;

/**
 * How the phantom's masks deviate from its true tumours: the paper's motivation is annotation bias
 * (polygon-based, rough, or over-sized labels that a loss then learns to copy).
 */
public enum AnnotationBias {
    /** The mask is the tumour. */
    EXACT,
    /** Over-segmented: the tumour dilated by a margin (the config's bias pixels). */
    DILATED,
    /** A rough polygon of a few vertices drawn around the tumour's outline. */
    POLYGON
}
