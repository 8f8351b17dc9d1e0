package calfkit.cli;

/** Bad command-line arguments: the message says which and what was expected. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
