package calfkit.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import calfkit.data.SliceIndex;

/** {@code calf index DIR}: (re)builds a dataset's index.csv by reading every image/mask pair once. */
final class IndexCommand implements Command {

    @Override
    public String name() {
        return "index";
    }

    @Override
    public String summary() {
        return "(re)build DIR/index.csv of a dataset in the slice layout";
    }

    @Override
    public String usage() {
        return """
                usage: calf index DIR [--skip-bad] [--force]
                  DIR         a dataset folder: PATIENT/images/*.png and PATIENT/masks/*.png of the same names
                  --skip-bad  leave out (and report) pairs that cannot be read, instead of stopping at the first
                  --force     replace an existing index.csv""";
    }

    @Override
    public int run(List<String> argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of(), Set.of("--skip-bad", "--force"));
        if (a.positional().size() != 1) {
            throw new UsageException("one dataset directory expected");
        }
        Path dir = Path.of(a.positional().get(0));
        if (Files.exists(dir.resolve(SliceIndex.FILE)) && !a.flag("--force")) {
            throw new UsageException(dir.resolve(SliceIndex.FILE) + " exists; pass --force to rebuild it");
        }
        SliceIndex index = SliceIndex.build(dir, a.flag("--skip-bad"), out);
        index.write();
        out.printf("indexed %d slices (%d with tumour) of %d patients: %s%n", index.slices().size(),
                index.tumourCount(), index.patients().size(), dir.resolve(SliceIndex.FILE));
        return 0;
    }
}
