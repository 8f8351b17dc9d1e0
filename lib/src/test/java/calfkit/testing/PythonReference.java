package calfkit.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

/**
 * Runs {@code lib/src/test/python/reference.py} (Debian's python3 with python3-torch and python3-scipy,
 * installed by environment/setup.sh) on one JSON request and returns its JSON answer. Reference values
 * come from there, independently of the Java code under test.
 */
public final class PythonReference {

    private static final Gson GSON = new Gson();

    private PythonReference() {
    }

    public static JsonObject run(JsonObject request) {
        Path script = Path.of("src/test/python/reference.py").toAbsolutePath();
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        try {
            Process process = new ProcessBuilder(python, script.toString()).redirectErrorStream(false).start();
            process.getOutputStream().write(GSON.toJson(request).getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(python + " " + script + " failed (python3-torch and python3-scipy are "
                        + "installed by environment/setup.sh):\n" + err);
            }
            return GSON.fromJson(out, JsonObject.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + python + " " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
