package calfkit.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import calfkit.image.png.PngReader;
import calfkit.io.AtomicFiles;

/**
 * The kit's slice dataset on disk, and its index.
 *
 * <pre>
 * DATASET/
 *   index.csv                     patient,slice,image,mask,area,tumour,width,height  (one row per slice)
 *   PATIENT/images/NNNN.png       8-bit gray image slice
 *   PATIENT/masks/NNNN.png        binary mask of the same size (non-zero = tumour)
 * </pre>
 * The index is written once ({@code calf index}, {@code calf synth}, {@code calf convert}); statistics and
 * sampling read only the index, never the images.
 */
public final class SliceIndex {

    /** The index file's name in the dataset root. */
    public static final String FILE = "index.csv";
    private static final String HEADER = "patient,slice,image,mask,area,tumour,width,height";

    private final Path root;
    private final List<Slice> slices;
    private volatile Path realRoot;

    public SliceIndex(Path root, List<Slice> slices) {
        this.root = root;
        this.slices = List.copyOf(slices);
    }

    public Path root() {
        return root;
    }

    public List<Slice> slices() {
        return slices;
    }

    /** The image file of a slice, checked to be a regular file inside the dataset folder ({@link #inside}). */
    public Path imagePath(Slice s) throws IOException {
        return inside(s.image());
    }

    /** The mask file of a slice, checked to be a regular file inside the dataset folder ({@link #inside}). */
    public Path maskPath(Slice s) throws IOException {
        return inside(s.mask());
    }

    /**
     * A file the index names, once its real path (links followed) is known to lie inside the dataset's real path
     * and to be a regular file. Every refusal gives the same message, so the index cannot be used to learn whether
     * a file outside the dataset exists.
     */
    Path inside(String relative) throws IOException {
        Path p = root.resolve(relative);
        try {
            Path real = p.toRealPath();
            if (real.startsWith(realRoot()) && Files.isRegularFile(real)) {
                return p;
            }
        } catch (IOException e) {
            // the same refusal as any other
        }
        throw new IOException(p + ": listed in " + root.resolve(FILE) + " but not a readable regular file inside the "
                + "dataset folder " + root);
    }

    private Path realRoot() throws IOException {
        Path r = realRoot;
        if (r == null) {
            r = root.toRealPath();
            realRoot = r;
        }
        return r;
    }

    /** The patients, sorted. */
    public List<String> patients() {
        Set<String> p = new TreeSet<>();
        slices.forEach(s -> p.add(s.patient()));
        return List.copyOf(p);
    }

    /** The foreground areas of all slices, in index order. */
    public long[] areas() {
        return slices.stream().mapToLong(Slice::area).toArray();
    }

    public long tumourCount() {
        return slices.stream().filter(Slice::tumour).count();
    }

    /** Reads DATASET/index.csv, whose slices must share one size ({@link #requireOneSize}). */
    public static SliceIndex read(Path root) throws IOException {
        SliceIndex index = readAsWritten(root);
        requireOneSize(index.slices, root.resolve(FILE).toString());
        return index;
    }

    /**
     * Reads DATASET/index.csv as it is written, slices of several sizes included: for checking an index against its
     * files ({@link #verify}, {@code calf index --verify}), which names each line whose size disagrees.
     */
    public static SliceIndex readAsWritten(Path root) throws IOException {
        Path file = root.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(root + ": no " + FILE + "; expected a dataset in the kit's slice layout "
                    + "(build its index with: calf index " + root + ")");
        }
        List<Slice> slices = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + ": expected the header '" + HEADER + "'");
        }
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            try {
                if (f.length != 8) {
                    throw new IllegalArgumentException("expected 8 fields, got " + f.length);
                }
                Slice slice = new Slice(f[0], Integer.parseInt(f[1]), confined(root, f[2], "image"),
                        confined(root, f[3], "mask"), Long.parseLong(f[4]), Integer.parseInt(f[6]), Integer.parseInt(f[7]));
                if (slice.area() < 0 || slice.width() < 1 || slice.height() < 1) {
                    throw new IllegalArgumentException("area must be ≥ 0 and width, height ≥ 1");
                }
                String key = slice.image();
                if (!seen.add(key)) {
                    throw new IllegalArgumentException("image " + key + " is listed twice");
                }
                slices.add(slice);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage() + " in '" + line + "'");
            }
        }
        if (slices.isEmpty()) {
            throw new IOException(file + ": the index lists no slice");
        }
        return new SliceIndex(root, slices);
    }

    /**
     * Every slice of a dataset has one size: the trainer stacks slices into batches, which cannot hold two.
     *
     * @throws IOException naming a slice of each size and how many slices have it
     */
    static void requireOneSize(List<Slice> slices, String where) throws IOException {
        Map<String, List<Slice>> bySize = new java.util.TreeMap<>();
        for (Slice s : slices) {
            bySize.computeIfAbsent(s.width() + "x" + s.height(), k -> new ArrayList<>()).add(s);
        }
        if (bySize.size() > 1) {
            StringBuilder sizes = new StringBuilder();
            bySize.forEach((size, list) -> sizes.append(sizes.length() == 0 ? "" : ", ").append(size).append(": ")
                    .append(list.size()).append(" slice(s), e.g. ").append(list.get(0).image()));
            throw new IOException(where + ": slices of " + bySize.size() + " sizes (" + sizes + "); every slice of a "
                    + "dataset must have one size, as batches stack them (convert or resize them to one)");
        }
    }

    /**
     * Why a name with characters outside ASCII may be refused: the JVM writes file names in the encoding of the
     * locale it started in ({@code sun.jnu.encoding}), and under a non-UTF-8 locale (LANG=C, POSIX) it cannot spell
     * them. Empty for an ASCII name or a UTF-8 locale.
     */
    static String fileNameEncoding(String name) {
        String encoding = System.getProperty("sun.jnu.encoding", java.nio.charset.Charset.defaultCharset().name());
        if (name.chars().allMatch(ch -> ch < 128) || encoding.toUpperCase(java.util.Locale.ROOT).replace("-", "").equals("UTF8")) {
            return "";
        }
        String locale = System.getenv("LC_ALL");
        String from = locale != null && !locale.isEmpty() ? "LC_ALL=" + locale
                : System.getenv("LC_CTYPE") != null ? "LC_CTYPE=" + System.getenv("LC_CTYPE")
                : "LANG=" + System.getenv().getOrDefault("LANG", "(unset)");
        return " in this JVM's file-name encoding, " + encoding + " (from " + from + "); start it under a UTF-8 locale, "
                + "e.g. LANG=C.UTF-8";
    }

    /**
     * A patient folder's or a file's name that the index can hold: index.csv is plain comma-separated text, so a
     * comma, a quote or a line break in a name would shift or split its row.
     *
     * @throws IOException naming the path and the character
     */
    static void requireIndexableName(Path path, String name) throws IOException {
        for (char c : name.toCharArray()) {
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                throw new IOException(path + ": its name holds " + switch (c) {
                    case ',' -> "a comma";
                    case '"' -> "a double quote";
                    default -> "a line break";
                } + ", which index.csv (comma-separated) cannot hold; rename it");
            }
        }
    }

    /**
     * A relative path of the index that stays inside the dataset: not absolute, no {@code ..} that climbs out.
     * The index is data, and data must not make the kit read outside the folder the user named.
     */
    static String confined(Path root, String relative, String what) {
        Path p;
        try {
            p = root.getFileSystem().getPath(relative);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + " path '" + relative + "' is not a valid path" + fileNameEncoding(relative));
        }
        if (relative.isEmpty() || p.isAbsolute() || p.getRoot() != null) {
            throw new IllegalArgumentException(what + " path '" + relative + "' must be relative to the dataset folder");
        }
        Path n = p.normalize();
        if (n.toString().isEmpty() || n.startsWith("..")) {
            throw new IllegalArgumentException(what + " path '" + relative + "' leaves the dataset folder");
        }
        return relative;
    }

    /**
     * A fingerprint of the index: SHA-256 over its rows as index.csv writes them, first 16 hex digits. The root is
     * not part of it, so a dataset moved elsewhere keeps its fingerprint.
     */
    public String fingerprint() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Slice s : slices) {
            sha.update((row(s) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    /** Writes DATASET/index.csv atomically (a temporary file moved into place). */
    public void write() throws IOException {
        Path tmp = AtomicFiles.newTempFile(root, FILE);
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.newLine();
            for (Slice s : slices) {
                w.write(row(s));
                w.newLine();
            }
        }
        AtomicFiles.move(tmp, root.resolve(FILE));
    }

    /** A slice's line of index.csv (the fields of {@link #HEADER}). */
    private static String row(Slice s) {
        return String.join(",", s.patient(), Integer.toString(s.slice()), s.image(), s.mask(), Long.toString(s.area()),
                s.tumour() ? "1" : "0", Integer.toString(s.width()), Integer.toString(s.height()));
    }

    /**
     * Builds the index of a dataset folder by reading every image/mask pair once.
     *
     * @param skipBad false: the first bad pair is an error naming the file; true: bad pairs are left out and
     *                reported, one line each, to {@code report}
     * @throws IOException for a bad pair (without skipBad), or when no pair is found
     */
    public static SliceIndex build(Path root, boolean skipBad, PrintStream report) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a directory; expected a dataset folder (PATIENT/images, PATIENT/masks)");
        }
        List<Path> patients;
        try (Stream<Path> s = Files.list(root)) {
            patients = s.filter(p -> Files.isDirectory(p.resolve("images"))).sorted().toList();
        }
        if (patients.isEmpty()) {
            throw new IOException(root + ": no patient folder with an images/ folder; expected PATIENT/images/*.png "
                    + "and PATIENT/masks/*.png");
        }
        PngReader reader = new PngReader();
        List<Slice> slices = new ArrayList<>();
        int skipped = 0;
        for (Path patientDir : patients) {
            requireIndexableName(patientDir, patientDir.getFileName().toString());
            List<Path> images;
            try (Stream<Path> s = Files.list(patientDir.resolve("images"))) {
                images = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
            }
            int n = 0;
            for (Path image : images) {
                String name = image.getFileName().toString();
                requireIndexableName(image, name);
                Path mask = patientDir.resolve("masks").resolve(name);
                try {
                    if (!Files.isRegularFile(mask)) {
                        throw new IOException(image + ": its mask " + mask + " is missing");
                    }
                    Measured m = measure(reader, image, mask);
                    slices.add(new Slice(patientDir.getFileName().toString(), sliceNumber(name, n), root.relativize(image)
                            .toString(), root.relativize(mask).toString(), m.area(), m.width(), m.height()));
                } catch (IOException e) {
                    if (!skipBad) {
                        throw e;
                    }
                    skipped++;
                    report.println("skipped: " + e.getMessage());
                }
                n++;
            }
        }
        if (slices.isEmpty()) {
            throw new IOException(root + ": no readable image/mask pair" + (skipped > 0 ? " (" + skipped + " skipped)" : ""));
        }
        if (skipBad && skipped > 0) {
            report.println("skipped " + skipped + " bad pair(s); indexed " + slices.size());
        }
        requireOneSize(slices, root.toString());
        return new SliceIndex(root, slices);
    }

    /**
     * Checks the index against the files it names: every image and mask is read again, and each slice's stored
     * area, width and height are compared with its mask and image (a mask of another size than its image is an
     * error, as in {@link #build}). Each disagreement (or unreadable file) is one line of {@code report} naming the
     * index line.
     *
     * @return the number of slices that disagree or cannot be read (0: the index is faithful)
     */
    public int verify(PrintStream report) throws IOException {
        Path file = root.resolve(FILE);
        Map<String, Integer> lineOf = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            if (f.length > 2) {
                lineOf.putIfAbsent(f[2], i + 1);
            }
        }
        PngReader reader = new PngReader();
        int bad = 0;
        for (Slice s : slices) {
            String where = file + " line " + lineOf.getOrDefault(s.image(), 0) + ": ";
            try {
                Measured m = measure(reader, imagePath(s), maskPath(s));
                List<String> wrong = new ArrayList<>();
                if (m.area() != s.area()) {
                    wrong.add("area " + s.area() + " but the mask has " + m.area() + " foreground pixels");
                }
                if (m.width() != s.width() || m.height() != s.height()) {
                    wrong.add("size " + s.width() + "x" + s.height() + " but the image is " + m.width() + "x" + m.height());
                }
                if (!wrong.isEmpty()) {
                    bad++;
                    report.println(where + s.mask() + ": " + String.join("; ", wrong));
                }
            } catch (IOException e) {
                bad++;
                report.println(where + e.getMessage());
            }
        }
        return bad;
    }

    /** An image's size and its mask's foreground area, as the index records them. */
    private record Measured(int width, int height, long area) {
    }

    /**
     * Reads an image/mask pair once: the image's size and the mask's foreground area ({@link #build} and
     * {@link #verify}).
     *
     * @throws IOException naming the file when one cannot be read, or the mask when its size differs from the image's
     */
    private static Measured measure(PngReader reader, Path image, Path mask) throws IOException {
        reader.readGray8(image);
        int w = reader.width();
        int h = reader.height();
        long area = reader.area(mask);
        if (reader.width() != w || reader.height() != h) {
            throw new IOException(mask + ": mask is " + reader.width() + "x" + reader.height() + " but its image " + image
                    + " is " + w + "x" + h);
        }
        return new Measured(w, h, area);
    }

    private static int sliceNumber(String name, int fallback) {
        String digits = name.replaceAll("\\D", "");
        try {
            return digits.isEmpty() ? fallback : Integer.parseInt(digits.length() > 9 ? digits.substring(digits.length() - 9) : digits);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The index as a Tablesaw table (for notebooks). */
    public Table toTable() {
        return Table.create("slices of " + root.getFileName(),
                StringColumn.create("patient", slices.stream().map(Slice::patient)),
                IntColumn.create("slice", slices.stream().mapToInt(Slice::slice).toArray()),
                LongColumn.create("area", slices.stream().mapToLong(Slice::area).toArray()),
                IntColumn.create("tumour", slices.stream().mapToInt(s -> s.tumour() ? 1 : 0).toArray()));
    }
}
