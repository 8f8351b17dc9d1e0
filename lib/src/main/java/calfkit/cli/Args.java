package calfkit.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parsed {@code --name value} options, {@code --flag} switches and positional arguments of a command. */
final class Args {

    private final Map<String, String> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final Set<String> flags;

    /**
     * @param valued the options that take a value
     * @param flags  the options that take none
     */
    Args(List<String> args, Set<String> valued, Set<String> flags) {
        this.flags = new java.util.HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (valued.contains(a)) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(a + " needs a value");
                }
                options.put(a, args.get(++i));
            } else if (flags.contains(a)) {
                this.flags.add(a);
            } else if (a.startsWith("--")) {
                throw new UsageException("unknown option '" + a + "'");
            } else {
                positional.add(a);
            }
        }
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String get(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    String require(String name) {
        String v = options.get(name);
        if (v == null) {
            throw new UsageException(name + " is required");
        }
        return v;
    }

    int getInt(String name, int fallback) {
        String v = options.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a whole number, got '" + v + "'");
        }
    }

    double getDouble(String name, double fallback) {
        String v = options.get(name);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a number, got '" + v + "'");
        }
    }

    List<String> positional() {
        return positional;
    }
}
