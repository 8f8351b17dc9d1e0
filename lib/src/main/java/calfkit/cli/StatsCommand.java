package calfkit.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.GsonBuilder;

import calfkit.stats.AreaDistribution;
import calfkit.stats.AreaMeasure;
import calfkit.stats.AreaScan;
import calfkit.stats.BranchDecision;
import calfkit.stats.EmptyMasks;

/** {@code calf stats DIR}: the foreground-area statistics of a mask folder and the CALF branch they select. */
final class StatsCommand implements Command {

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String summary() {
        return "foreground-area statistics of a folder of mask PNGs and the CALF branch they select";
    }

    @Override
    public String usage() {
        return """
                usage: calf stats DIR [--json] [--include-empty | --exclude-empty] [--area pixels|contour] [--no-cache]
                  DIR              a folder of mask PNGs (non-zero = foreground); in the kit's slice layout,
                                   the PNGs under masks/ folders
                  --json           print one JSON object instead of text
                  --include-empty  empty masks (area 0) enter the distribution (default: the paper's wording)
                  --exclude-empty  only masks with foreground enter
                  --area           pixels: foreground pixel count (default); contour: the summed area of every
                                   contour, holes included, as the authors' code measured it with OpenCV
                                   (findContours RETR_TREE + contourArea)
                  --no-cache       decode every mask, ignoring and not writing DIR/.calf-areas.tsv""";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Args a = new Args(args, Set.of("--area"), Set.of("--json", "--include-empty", "--exclude-empty", "--no-cache"));
        for (String p : a.positional()) {
            if (p.startsWith("-")) {
                throw new UsageException("unknown option '" + p + "'");
            }
        }
        if (a.positional().size() > 1) {
            throw new UsageException("one directory expected, got '" + a.positional().get(0) + "' and '"
                    + a.positional().get(1) + "'");
        }
        if (a.positional().isEmpty()) {
            throw new UsageException("a directory of mask PNGs is required");
        }
        Path dir = Path.of(a.positional().get(0));
        boolean json = a.flag("--json");
        boolean useCache = !a.flag("--no-cache");
        // The later of --include-empty and --exclude-empty wins.
        EmptyMasks empty = args.lastIndexOf("--exclude-empty") > args.lastIndexOf("--include-empty")
                ? EmptyMasks.EXCLUDE : EmptyMasks.INCLUDE;
        String area = a.get("--area", "pixels");
        AreaMeasure measure = switch (area) {
            case "pixels" -> AreaMeasure.PIXELS;
            case "contour" -> AreaMeasure.CONTOURS;
            default -> throw new UsageException("--area expects pixels or contour, got '" + area + "'");
        };
        AreaScan.Result scan = AreaScan.scan(dir, useCache, measure);
        BranchDecision decision = BranchDecision.of(AreaDistribution.of(scan.areas(), empty));
        AreaDistribution d = decision.distribution();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("dir", dir.toString());
            o.put("masks", d.nMasks());
            o.put("n", d.n());
            o.put("n_empty", d.nEmpty());
            o.put("empty_masks", empty.name().toLowerCase());
            o.put("area", measure == AreaMeasure.PIXELS ? "pixels" : "contour");
            o.put("mean", finite(d.mean()));
            o.put("std", finite(d.std()));
            o.put("skewness", finite(d.skewness()));
            o.put("kurtosis", finite(d.kurtosis()));
            o.put("branch", decision.branch().label());
            o.put("rule", decision.rule().condition());
            o.put("decoded", scan.decoded());
            o.put("from_cache", scan.fromCache());
            out.println(new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(o));
        } else {
            out.printf("masks      %d (%d decoded, %d from cache)%n", d.nMasks(), scan.decoded(), scan.fromCache());
            out.printf("n          %d (%s, area = %s)%n", d.n(), empty.label(),
                    measure == AreaMeasure.PIXELS ? "pixel count" : "outer-contour area");
            out.printf("n_empty    %d%n", d.nEmpty());
            out.printf("mean       %.4f%n", d.mean());
            out.printf("std        %.4f%n", d.std());
            out.printf("skewness   %.4f%n", d.skewness());
            out.printf("kurtosis   %.4f%n", d.kurtosis());
            out.printf("branch     %s%n", decision.branch().label());
            out.printf("rule       %s%n", decision.rule().condition());
        }
        return 0;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
