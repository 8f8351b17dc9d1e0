package calfkit.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import calfkit.data.SliceIndex;

/**
 * {@code calf index DIR}: (re)builds a dataset's index.csv by reading every image/mask pair once, or with
 * {@code --verify} checks an existing one against its files.
 */
final class IndexCommand implements Command {

    @Override
    public String name() {
        return "index";
    }

    @Override
    public String summary() {
        return "(re)build DIR/index.csv of a dataset in the slice layout, or --verify it";
    }

    @Override
    public String usage() {
        return """
                usage: calf index DIR [--skip-bad] [--force] | calf index DIR --verify
                  DIR         a dataset folder: PATIENT/images/*.png and PATIENT/masks/*.png of the same names
                  --skip-bad  leave out (and report) pairs that cannot be read, instead of stopping at the first
                  --force     replace an existing index.csv
                  --verify    read every file of the existing index.csv again and compare each slice's stored area
                              and size with its mask and image; exit 1 naming each line that disagrees""";
    }

    @Override
    public int run(List<String> argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of(), Set.of("--skip-bad", "--force", "--verify"));
        if (a.positional().size() != 1) {
            throw new UsageException("one dataset directory expected");
        }
        Path dir = Path.of(a.positional().get(0));
        if (a.flag("--verify")) {
            if (a.flag("--force") || a.flag("--skip-bad")) {
                throw new UsageException("--verify reads the index and changes nothing: no --force or --skip-bad");
            }
            SliceIndex index = SliceIndex.readAsWritten(dir);
            int bad = index.verify(out);
            out.printf("%s: %d of %d slices %s%n", dir.resolve(SliceIndex.FILE), bad, index.slices().size(),
                    bad == 0 ? "disagree: the index matches its images and masks" : "disagree with their files (above)");
            return bad == 0 ? 0 : 1;
        }
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
