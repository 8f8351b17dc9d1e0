package calfkit.cli;

import java.io.PrintStream;
import java.util.List;

import calfkit.config.Settings;
import calfkit.engine.Devices;

/** {@code calf info}: the engine and devices DJL sees, and the kit's settings. */
final class InfoCommand implements Command {

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "engine, devices and settings (CALF_SCALE, CALF_DATA) this machine gives the kit";
    }

    @Override
    public String usage() {
        return "usage: calf info";
    }

    @Override
    public int run(List<String> args, PrintStream out) {
        if (!args.isEmpty()) {
            throw new UsageException("takes no arguments, got " + args);
        }
        out.println("engine:   " + Devices.describe());
        out.println("settings: " + Settings.fromEnvironment());
        return 0;
    }
}
