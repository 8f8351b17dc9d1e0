package calfkit.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import calfkit.data.SliceIndex;
import calfkit.data.convert.ConvertOptions;
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
                usage: calf convert --dataset brats|upenn-gbm|ucsf-pdgm|lgg --in DIR --out DIR [--modality MOD,…]
                                    [--preset kit|authors] [--keep-blank] [--size N] [--intensity RULE]
                                    [--orientation kit|authors] [--skip-bad] [--force]
                  --modality  which images to slice (default: flair for brats, FLAIR for upenn-gbm and ucsf-pdgm,
                              T2 for lgg); matched case-insensitively in the file names; several, comma-separated,
                              make a sample each (images-MOD/ folders) with the same mask
                  --preset    kit (default): one modality, blank slices left out, native size, volume-percentiles;
                              authors: close to the CALF authors' preprocessing and loader: the modalities
                              their data imply (brats t1ce,t2,flair; ucsf-pdgm and upenn-gbm T1,T2,FLAIR, of
                              which their UPENN notebook converts FLAIR; lgg T2), blank slices kept,
                              slice-min-max, 256 × 256 as Pillow's bilinear with the mask thresholded at > 0,
                              slices as their data[:, :, k]; not as theirs: UPENN's twice-quantised slices and
                              automated masks (docs/protocols.md); the options below override it; BraTS
                              2023 names (CASE-t2f, CASE-seg) are read as the 2020/2021 ones
                  --keep-blank  keep slices whose image is all zero
                  --size      resize every slice to N × N (0: native size)
                  --intensity volume-percentiles (0.5th–99.5th of the volume's non-zero voxels), slice-min-max or
                              volume-min-max (OpenCV NORM_MINMAX, truncated)
                  --orientation  kit: x across, rows along y (as viewers show an axial slice); authors: numpy's
                              data[:, :, k] as their notebooks write it (the transpose)
                  --skip-bad  report and leave out cases that cannot be read, instead of stopping
                  --force     write into an existing non-empty --out folder
                folder conventions: see data-scripts/README.md""";
    }

    @Override
    public int run(List<String> argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of("--dataset", "--in", "--out", "--modality", "--preset", "--size", "--intensity",
                "--orientation"),
                Set.of("--skip-bad", "--force", "--keep-blank"));
        SourceLayout layout;
        ConvertOptions options;
        try {
            layout = SourceLayout.byName(a.require("--dataset"));
            String preset = a.get("--preset", "kit");
            if (!preset.equals("kit") && !preset.equals("authors")) {
                throw new IllegalArgumentException("--preset expects kit or authors, got '" + preset + "'");
            }
            ConvertOptions base = preset.equals("authors") ? ConvertOptions.authors(layout) : ConvertOptions.kit(null);
            String mods = a.get("--modality", null);
            String orientation = a.get("--orientation", base.transpose() ? "authors" : "kit");
            if (!orientation.equals("kit") && !orientation.equals("authors")) {
                throw new IllegalArgumentException("--orientation expects kit or authors, got '" + orientation + "'");
            }
            options = new ConvertOptions(mods == null ? base.modalities() : List.of(mods.split(",")),
                    base.keepBlank() || a.flag("--keep-blank"), a.getInt("--size", base.size()),
                    a.get("--intensity", null) == null ? base.intensity()
                            : ConvertOptions.Intensity.parse(a.get("--intensity", null)), orientation.equals("authors"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        long t0 = System.nanoTime();
        SliceIndex index = VolumeConverter.convert(layout, Path.of(a.require("--in")), Path.of(a.require("--out")),
                options, a.flag("--skip-bad"), a.flag("--force"), out);
        out.printf("converted %d slices (%d with tumour) of %d patients in %.1f s: %s%n", index.slices().size(),
                index.tumourCount(), index.patients().size(), (System.nanoTime() - t0) / 1e9,
                index.root().resolve(SliceIndex.FILE));
        return 0;
    }
}
