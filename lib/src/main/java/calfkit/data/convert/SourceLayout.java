package calfkit.data.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How each of the paper's four datasets lays out its NIfTI volumes, as distributed (names are matched
 * case-insensitively, .nii or .nii.gz):
 * <ul>
 *   <li>{@link #BRATS}: {@code IN/CASE/CASE_MOD.nii.gz} and {@code IN/CASE/CASE_seg.nii.gz} (BraTS 2020/2021;
 *       MOD flair, t1, t1ce, t2), or {@code IN/CASE/CASE-MOD.nii.gz} and {@code IN/CASE/CASE-seg.nii.gz} (BraTS 2023,
 *       as the CALF authors' BraTS files: MOD t2f, t1n, t1c, t2w); either name of a modality finds either file
 *       ({@link #BRATS_2023_NAMES}).</li>
 *   <li>{@link #UPENN_GBM}: {@code IN/images_structural/CASE/CASE_MOD.nii.gz} (FLAIR, T1, T1GD, T2) and
 *       {@code IN/images_segm/CASE_segm.nii.gz}, else {@code IN/automated_segm/CASE_automated_approx_segm.nii.gz}.</li>
 *   <li>{@link #UCSF_PDGM}: {@code IN/CASE_nifti/CASE_MOD.nii.gz} (FLAIR, T1, T1c, T2) and
 *       {@code IN/CASE_nifti/CASE_tumor_segmentation.nii.gz}.</li>
 *   <li>{@link #LGG}: {@code IN/CASE/} with one image whose name contains MOD (default T2, on which its labels
 *       were drawn) and one whose name contains "seg".</li>
 * </ul>
 */
public enum SourceLayout {
    BRATS("brats", "flair"),
    UPENN_GBM("upenn-gbm", "FLAIR"),
    UCSF_PDGM("ucsf-pdgm", "FLAIR"),
    LGG("lgg", "T2");

    /** BraTS 2020/2021's modality names and BraTS 2023's for the same scans. */
    public static final java.util.Map<String, String> BRATS_2023_NAMES = java.util.Map.of("flair", "t2f", "t1", "t1n",
            "t1ce", "t1c", "t2", "t2w");

    /** One patient's image volume and label volume. */
    public record Case(String id, Path image, Path label) {
    }

    private final String cliName;
    private final String defaultModality;

    SourceLayout(String cliName, String defaultModality) {
        this.cliName = cliName;
        this.defaultModality = defaultModality;
    }

    public String cliName() {
        return cliName;
    }

    public String defaultModality() {
        return defaultModality;
    }

    public static SourceLayout byName(String name) {
        for (SourceLayout l : values()) {
            if (l.cliName.equalsIgnoreCase(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + name + "'; expected brats, upenn-gbm, ucsf-pdgm or lgg");
    }

    /**
     * The cases under {@code in}. A case folder without its image or label volume is an error naming it.
     */
    public List<Case> cases(Path in, String modality) throws IOException {
        return cases(in, modality, null);
    }

    /**
     * The cases under {@code in}; with a {@code problems} list, a case whose files are missing is reported
     * there and left out instead of being an error.
     */
    public List<Case> cases(Path in, String modality, List<String> problems) throws IOException {
        if (!Files.isDirectory(in)) {
            throw new IOException(in + ": not a directory; expected the " + cliName + " dataset folder");
        }
        String mod = (modality == null ? defaultModality : modality).toLowerCase(Locale.ROOT);
        List<Case> cases = new ArrayList<>();
        switch (this) {
            case BRATS -> {
                for (Path dir : subdirs(in)) {
                    String id = dir.getFileName().toString();
                    String older = BRATS_2023_NAMES.entrySet().stream().filter(e -> e.getValue().equals(mod))
                            .map(java.util.Map.Entry::getKey).findFirst().orElse(mod);
                    String newer = BRATS_2023_NAMES.getOrDefault(mod, mod);
                    add(cases, problems, () -> new Case(id, needOne(dir, id + "_" + older, id + "-" + newer),
                            needOne(dir, id + "_seg", id + "-seg")));
                }
            }
            case UPENN_GBM -> {
                Path structural = in.resolve("images_structural");
                if (!Files.isDirectory(structural)) {
                    throw new IOException(in + ": no images_structural/ folder; expected the UPENN-GBM NIfTI layout");
                }
                for (Path dir : subdirs(structural)) {
                    String id = dir.getFileName().toString();
                    add(cases, problems, () -> {
                        Path label = find(in.resolve("images_segm"), id + "_segm")
                                .or(() -> findQuiet(in.resolve("automated_segm"), id + "_automated_approx_segm"))
                                .orElseThrow(() -> new IOException(in + ": no segmentation for " + id
                                        + " (images_segm/" + id + "_segm.nii.gz or automated_segm/" + id
                                        + "_automated_approx_segm.nii.gz)"));
                        return new Case(id, need(dir, id + "_" + mod), label);
                    });
                }
            }
            case UCSF_PDGM -> {
                for (Path dir : subdirs(in)) {
                    String id = dir.getFileName().toString().replaceFirst("(?i)_nifti$", "");
                    add(cases, problems, () -> new Case(id, need(dir, id + "_" + mod), need(dir, id + "_tumor_segmentation")));
                }
            }
            case LGG -> {
                for (Path dir : subdirs(in)) {
                    String id = dir.getFileName().toString();
                    add(cases, problems, () -> new Case(id, contains(dir, mod, "seg"), contains(dir, "seg", null)));
                }
            }
        }
        if (cases.isEmpty()) {
            throw new IOException(in + ": no case folder found; expected the " + cliName + " layout (see calf convert --help)");
        }
        return cases;
    }

    private interface CaseSource {
        Case get() throws IOException;
    }

    private static void add(List<Case> cases, List<String> problems, CaseSource source) throws IOException {
        try {
            cases.add(source.get());
        } catch (IOException e) {
            if (problems == null) {
                throw e;
            }
            problems.add(e.getMessage());
        }
    }

    private static List<Path> subdirs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static Optional<Path> find(Path dir, String stem) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                String st = stem.toLowerCase(Locale.ROOT);
                return n.equals(st + ".nii") || n.equals(st + ".nii.gz");
            }).findFirst();
        }
    }

    private static Optional<Path> findQuiet(Path dir, String stem) {
        try {
            return find(dir, stem);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path need(Path dir, String stem) throws IOException {
        return find(dir, stem).orElseThrow(() -> new IOException(dir + ": missing " + stem + ".nii.gz (or .nii)"));
    }

    /** The file of the first stem found, else an error naming both (BraTS 2020/2021 and 2023 names). */
    private static Path needOne(Path dir, String stem, String otherStem) throws IOException {
        Optional<Path> first = find(dir, stem);
        if (first.isPresent()) {
            return first.get();
        }
        return find(dir, otherStem).orElseThrow(() -> new IOException(dir + ": missing " + stem + ".nii.gz (BraTS "
                + "2020/2021) or " + otherStem + ".nii.gz (BraTS 2023), or .nii"));
    }

    private static Path contains(Path dir, String part, String exclude) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> hits = s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return (n.endsWith(".nii") || n.endsWith(".nii.gz")) && n.contains(part)
                        && (exclude == null || !n.contains(exclude));
            }).sorted().toList();
            if (hits.size() != 1) {
                throw new IOException(dir + ": expected one NIfTI file whose name contains '" + part + "', found "
                        + hits.size());
            }
            return hits.get(0);
        }
    }
}
