package calfkit.cli;

import java.io.PrintStream;
import java.util.List;

/** One {@code calf} subcommand. */
public interface Command {

    /** The word after {@code calf}. */
    String name();

    /** One line for {@code calf --help}. */
    String summary();

    /** The usage text for {@code calf NAME --help}. */
    String usage();

    /**
     * Runs the command.
     *
     * @return the process exit code (0 for success)
     * @throws UsageException for bad arguments: {@code calf} prints the message and the usage, exit code 2
     */
    int run(List<String> args, PrintStream out) throws Exception;
}
