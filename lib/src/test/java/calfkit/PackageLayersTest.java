package calfkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packages form layers, as their package-info says: no package depends on itself through others, and the
 * leaves (image, io, config) use no other kit package. Read from the sources: every {@code calfkit.x.Y} named in an
 * import or in code (comments and Javadoc left out).
 */
class PackageLayersTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\bcalfkit((?:\\.[a-z]+)+)\\.[A-Z]");

    static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = "calfkit" + SOURCES.relativize(f.getParent()).toString().replace('/', '.')
                        .replaceFirst("^calfkit", "");
                String code = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
                Set<String> uses = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(code);
                while (m.find()) {
                    String used = "calfkit" + m.group(1);
                    if (!used.equals(pkg)) {
                        uses.add(used);
                    }
                }
            }
        }
        return deps;
    }

    @Test
    void noPackageCycle() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        List<String> cycles = new ArrayList<>();
        for (String start : deps.keySet()) {
            List<String> path = new ArrayList<>(List.of(start));
            if (reaches(deps, start, start, path, new TreeSet<>())) {
                cycles.add(String.join(" -> ", path));
            }
        }
        assertEquals(List.of(), cycles, "package cycles");
    }

    @Test
    void leavesUseNoOtherKitPackage() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        for (String leaf : List.of("calfkit.image", "calfkit.image.png", "calfkit.image.nifti", "calfkit.io",
                "calfkit.config", "calfkit.model", "calfkit.engine")) {
            assertTrue(deps.containsKey(leaf), leaf + " exists");
            assertEquals(Set.of(), deps.get(leaf), leaf + " uses");
        }
        assertEquals(Set.of("calfkit.image"), deps.get("calfkit.metrics"), "metrics uses");
    }

    private static boolean reaches(Map<String, Set<String>> deps, String from, String target, List<String> path,
                                   Set<String> seen) {
        for (String next : deps.getOrDefault(from, Set.of())) {
            if (next.equals(target)) {
                path.add(next);
                return true;
            }
            if (seen.add(next)) {
                path.add(next);
                if (reaches(deps, next, target, path, seen)) {
                    return true;
                }
                path.remove(path.size() - 1);
            }
        }
        return false;
    }
}
