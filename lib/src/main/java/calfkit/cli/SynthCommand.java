package calfkit.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import calfkit.config.Scale;
import calfkit.data.SliceIndex;
import calfkit.data.phantom.AnnotationBias;
import calfkit.data.phantom.PhantomConfig;
import calfkit.data.phantom.PhantomGenerator;
import calfkit.data.phantom.TumourAreas;
import calfkit.stats.AreaDistribution;
import calfkit.stats.BranchDecision;
import calfkit.stats.EmptyMasks;
import calfkit.stats.Rule;

/** {@code calf synth}: writes a synthetic phantom-MRI dataset in the kit's slice layout. */
final class SynthCommand implements Command {

    @Override
    public String name() {
        return "synth";
    }

    @Override
    public String summary() {
        return "write a synthetic phantom-MRI dataset (slice layout + index)";
    }

    @Override
    public String usage() {
        return """
                usage: calf synth --out DIR [--scale smoke|quick|full] [--patients N] [--slices N] [--size PX]
                                  [--tumour-fraction F] [--areas default|RULE] [--bias exact|dilated|polygon]
                                  [--bias-pixels N] [--seed S] [--force]
                  --scale            starting point (default: CALF_SCALE, else quick); other options override it
                  --areas            tumour-area distribution; RULE places the dataset in a branch of Table 2:
                                     %s
                  --force            write into an existing non-empty folder (replaces files of the same names)"""
                .formatted(Arrays.stream(Rule.values()).map(r -> r.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
    }

    @Override
    public int run(List<String> argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of("--out", "--scale", "--patients", "--slices", "--size", "--tumour-fraction",
                "--areas", "--bias", "--bias-pixels", "--seed"), Set.of("--force"));
        Path dir = Path.of(a.require("--out"));
        String scaleName = a.get("--scale", null);
        PhantomConfig c = PhantomConfig.forScale(scaleName == null ? Scale.fromEnvironment() : Scale.parse(scaleName));
        c = c.withPatients(a.getInt("--patients", c.patients()), a.getInt("--slices", c.slicesPerPatient()))
                .withSize(a.getInt("--size", c.size()))
                .withTumourFraction(a.getDouble("--tumour-fraction", c.tumourFraction()))
                .withSeed(a.getInt("--seed", (int) c.seed()));
        String areas = a.get("--areas", "default");
        if (!areas.equals("default")) {
            try {
                c = c.withAreas(TumourAreas.forRule(Rule.valueOf(areas.toUpperCase(Locale.ROOT))));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--areas: unknown '" + areas + "'; expected default or one of "
                        + Arrays.stream(Rule.values()).map(r -> r.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
            }
        }
        String bias = a.get("--bias", c.bias().name());
        try {
            c = c.withBias(AnnotationBias.valueOf(bias.toUpperCase(Locale.ROOT)), a.getInt("--bias-pixels", c.biasPixels()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--bias: unknown '" + bias + "'; expected exact, dilated or polygon");
        }
        long t0 = System.nanoTime();
        SliceIndex index = new PhantomGenerator(c).generate(dir, a.flag("--force"));
        double secs = (System.nanoTime() - t0) / 1e9;
        out.printf("wrote %d slices (%d with tumour) of %d patients to %s in %.1f s (%.0f slices/s)%n",
                index.slices().size(), index.tumourCount(), index.patients().size(), dir, secs, index.slices().size() / secs);
        out.println("config: " + c);
        out.println(BranchDecision.of(AreaDistribution.of(index.areas(), EmptyMasks.INCLUDE)));
        return 0;
    }
}
