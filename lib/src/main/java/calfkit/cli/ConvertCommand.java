package calfkit.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import calfkit.data.SliceIndex;
import calfkit.data.convert.SourceLayout;
import calfkit.data.convert.VolumeConverter;

/** {@code calf convert}: a real dataset's NIfTI volumes into the kit's 2D slice layout. */
final class ConvertCommand implements Command {

    @Override
    public String name() {
        return "convert";
    }

    @Override
    public String summary() {
        return "convert BraTS, UPENN-GBM, UCSF-PDGM or LGG NIfTI volumes into the slice layout";
    }

    @Override
    public String usage() {
        return """
                usage: calf convert --dataset brats|upenn-gbm|ucsf-pdgm|lgg --in DIR --out DIR [--modality MOD]
                                    [--skip-bad] [--force]
                  --modality  which image to slice (default: flair for brats, FLAIR for upenn-gbm and ucsf-pdgm,
                              T2 for lgg); matched case-insensitively in the file names
                  --skip-bad  report and leave out cases that cannot be read, instead of stopping
                  --force     write into an existing non-empty --out folder
                folder conventions: see data-scripts/README.md""";
    }

    @Override
    public int run(List<String> argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of("--dataset", "--in", "--out", "--modality"), Set.of("--skip-bad", "--force"));
        SourceLayout layout;
        try {
            layout = SourceLayout.byName(a.require("--dataset"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        long t0 = System.nanoTime();
        SliceIndex index = VolumeConverter.convert(layout, Path.of(a.require("--in")), Path.of(a.require("--out")),
                a.get("--modality", null), a.flag("--skip-bad"), a.flag("--force"), out);
        out.printf("converted %d slices (%d with tumour) of %d patients in %.1f s: %s%n", index.slices().size(),
                index.tumourCount(), index.patients().size(), (System.nanoTime() - t0) / 1e9,
                index.root().resolve(SliceIndex.FILE));
        return 0;
    }
}
