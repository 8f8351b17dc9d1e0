package calfkit.stats;

/** The transformations CALF chooses between (paper Table 2). Each is a loss in {@code calfkit.loss}. */
public enum Branch {
    FISHER("Fisher"),
    LOGIT("Logit"),
    ARCSINE("Arcsine"),
    LOG10("Log10"),
    NATURAL_LOG("Natural log"),
    BCE_DICE("BCE-Dice");

    private final String label;

    Branch(String label) {
        this.label = label;
    }

    /** The name the paper uses. */
    public String label() {
        return label;
    }
}
