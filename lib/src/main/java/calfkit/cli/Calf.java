package calfkit.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import calfkit.io.AtomicFiles;

/**
 * The {@code calf} command line: {@code calf <command> [options]}. Run it through {@code data-scripts/calf},
 * which starts the JVM with the kit's flags (offline DJL, headless AWT).
 */
public final class Calf {

    private final Map<String, Command> commands = new LinkedHashMap<>();

    public Calf(List<Command> commands) {
        for (Command c : commands) {
            this.commands.put(c.name(), c);
        }
    }

    /** The kit's commands, in the order {@code --help} lists them. */
    public static Calf standard() {
        return new Calf(List.of(new InfoCommand(), new StatsCommand(), new SynthCommand(), new IndexCommand(), new ConvertCommand(),
                new TrainCommand(), new EvalCommand(), new ConvergenceCommand(), new GridCommand()));
    }

    public static void main(String[] args) {
        System.exit(standard().run(args, System.out, System.err));
    }

    /** Runs one command line and returns the exit code: 0 success, 1 failure, 2 usage error. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(help());
            return args.length == 0 ? 2 : 0;
        }
        Command command = commands.get(args[0]);
        if (command == null) {
            err.println("calf: unknown command '" + args[0] + "'; expected one of " + String.join(", ", commands.keySet()));
            return 2;
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(command.usage());
            return 0;
        }
        try {
            return command.run(rest, out);
        } catch (UsageException e) {
            err.println("calf " + command.name() + ": " + e.getMessage());
            err.println(command.usage());
            return 2;
        } catch (Exception e) {
            err.println("calf " + command.name() + ": " + AtomicFiles.reason(e));
            return 1;
        }
    }

    /** The text of {@code calf --help}. */
    public String help() {
        StringBuilder sb = new StringBuilder("usage: calf <command> [options]   (calf <command> --help for its options)\n\ncommands:\n");
        commands.values().forEach(c -> sb.append(String.format("  %-10s %s%n", c.name(), c.summary())));
        sb.append("\nenvironment: CALF_SCALE=smoke|quick|full (default quick), CALF_DATA=<slice dataset dir>\n");
        return sb.toString();
    }
}
