package calfkit.stats;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import calfkit.image.png.PngReader;
import calfkit.io.AtomicFiles;

/**
 * The foreground areas of every mask PNG under a directory, cached beside the data.
 *
 * <p>Which files are masks: when the tree has folders named {@code masks} (the kit's slice layout), the PNGs
 * inside them; otherwise every PNG under the directory. Areas are foreground pixel counts (non-zero = 1).
 *
 * <p>Cache: {@value #CACHE_FILE} in the scanned directory, one line per mask (relative path, file size,
 * modification time, area). A later scan re-reads only masks whose size or time changed, and new ones; it
 * rewrites the cache atomically. Contour areas ({@link AreaMeasure#CONTOURS}) have a cache of their own. Where the
 * directory is read-only the scan works without a cache.
 * Decoding runs on all cores, one {@link PngReader} reader per thread.
 */
public final class AreaScan {

    /** The cache file's name, in the scanned directory. */
    public static final String CACHE_FILE = ".calf-areas.tsv";
    /** The cache of contour areas ({@link AreaMeasure#CONTOURS}). */
    public static final String CONTOUR_CACHE_FILE = ".calf-contour-tree-areas.tsv";
    private static final String HEADER = "# calf-kit mask areas v1: path\tsize\tmodified_ms\tarea";

    /** One mask: its path relative to the scanned directory, the file's size and time, its area. */
    public record Mask(String path, long size, long modified, double area) {
    }

    /** The scan: every mask in path order, and how many were decoded rather than taken from the cache. */
    public record Result(Path dir, List<Mask> masks, int decoded, int fromCache) {
        public double[] areas() {
            return masks.stream().mapToDouble(Mask::area).toArray();
        }
    }

    private AreaScan() {
    }

    /** Scans with the cache. */
    public static Result scan(Path dir) throws IOException {
        return scan(dir, true);
    }

    /** Scans pixel-count areas. */
    public static Result scan(Path dir, boolean useCache) throws IOException {
        return scan(dir, useCache, AreaMeasure.PIXELS);
    }

    /**
     * Scans a directory's masks.
     *
     * @param useCache false decodes every mask and leaves any cache file untouched (benchmarks)
     * @throws IOException naming the file for a mask that cannot be read, or the directory when it has no mask
     */
    public static Result scan(Path dir, boolean useCache, AreaMeasure measure) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a directory; expected a folder of mask PNGs");
        }
        List<Path> files = maskFiles(dir);
        if (files.isEmpty()) {
            throw new IOException(dir + ": no mask PNG found (expected *.png files, or a masks/ folder per patient)");
        }
        String cacheFile = measure == AreaMeasure.PIXELS ? CACHE_FILE : CONTOUR_CACHE_FILE;
        Map<String, Mask> cache = useCache ? readCache(dir.resolve(cacheFile)) : Map.of();
        Mask[] masks = new Mask[files.size()];
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < masks.length; i++) {
            Path f = files.get(i);
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            String rel = dir.relativize(f).toString();
            Mask cached = cache.get(rel);
            if (cached != null && cached.size() == a.size() && cached.modified() == a.lastModifiedTime().toMillis()) {
                masks[i] = cached;
            } else {
                masks[i] = new Mask(rel, a.size(), a.lastModifiedTime().toMillis(), -1);
                todo.add(i);
            }
        }
        ThreadLocal<PngReader> readers = ThreadLocal.withInitial(PngReader::new);
        try {
            IntStream.range(0, todo.size()).parallel().forEach(k -> {
                int i = todo.get(k);
                try {
                    PngReader reader = readers.get();
                    double area = measure == AreaMeasure.PIXELS ? reader.area(files.get(i))
                            : ContourArea.of(reader.read(files.get(i)), reader.width(), reader.height());
                    masks[i] = new Mask(masks[i].path(), masks[i].size(), masks[i].modified(), area);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<Mask> result = List.of(masks);
        if (useCache && (!todo.isEmpty() || cache.size() != masks.length)) {
            writeCache(dir, cacheFile, result);
        }
        return new Result(dir, result, todo.size(), masks.length - todo.size());
    }

    private static String formatArea(double a) {
        return a == Math.rint(a) ? Long.toString((long) a) : Double.toString(a);
    }

    /** The mask files of a directory, in path order (see the class comment for which files are masks). */
    public static List<Path> maskFiles(Path dir) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
                    .filter(Files::isRegularFile).sorted().toList();
        }
        List<Path> inMasks = all.stream().filter(p -> p.getParent() != null
                && p.getParent().getFileName() != null && p.getParent().getFileName().toString().equals("masks")).toList();
        return inMasks.isEmpty() ? all : inMasks;
    }

    private static Map<String, Mask> readCache(Path file) {
        Map<String, Mask> cache = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return cache;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length == 4) {
                    cache.put(f[0], new Mask(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3])));
                }
            }
        } catch (IOException | RuntimeException e) {
            return new HashMap<>(); // an unreadable cache is only a cache: scan everything again
        }
        return cache;
    }

    private static void writeCache(Path dir, String cacheFile, List<Mask> masks) {
        Path tmp = null;
        try {
            tmp = AtomicFiles.newTempFile(dir, cacheFile);
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(HEADER);
                w.newLine();
                for (Mask m : masks) {
                    w.write(m.path() + "\t" + m.size() + "\t" + m.modified() + "\t" + formatArea(m.area()));
                    w.newLine();
                }
            }
            AtomicFiles.move(tmp, dir.resolve(cacheFile));
        } catch (IOException e) {
            // Read-only data: work without a cache.
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }
}
