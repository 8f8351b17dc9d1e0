package calfkit.kernel;

import java.util.List;
import java.util.regex.Pattern;

import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import org.rapaio.jupyter.kernel.core.java.JavaEngine;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.messages.ShellExecuteRequest;

/**
 * Plain-words hints for the two cell errors a visitor meets first, printed (to the cell's stderr) before the
 * kernel's own error: a cell run before the notebook's setup cell ({@code %load utils/calf-kit.jsh}), which the
 * kernel reports only as "cannot find symbol", and a cell with an unclosed bracket or string, which it reports as
 * "Incomplete source snippet" with a kernel stack trace and no position. The hint is a {@code System.err.println}
 * put before the cell's code; the code itself runs unchanged.
 */
final class CellHints {

    /** Names that the kit's setup defines (notebooks/utils/calf-kit.jsh) and notebooks use. */
    static final List<String> SETUP_NAMES = List.of("SETTINGS", "SCALE", "PLAN", "RESULTS", "LIVE", "show");
    private static final String SETUP_VARIABLE = "SETTINGS";

    private CellHints() {
    }

    /** The request with a hint printed before its code, or the request itself when no hint applies. */
    static Message<ShellExecuteRequest> withHint(JavaEngine engine, Message<ShellExecuteRequest> request) {
        ShellExecuteRequest c = request.content();
        String hint;
        try {
            hint = hint(engine, c.code());
        } catch (RuntimeException e) {
            return request;  // a hint is a courtesy: never let it stand between a cell and the kernel
        }
        if (hint == null) {
            return request;
        }
        String code = "System.err.println(\"" + hint.replace("\\", "\\\\").replace("\"", "\\\"") + "\");\n" + c.code();
        ShellExecuteRequest hinted = new ShellExecuteRequest(code, c.silent(), c.storeHistory(), c.userExpr(),
                c.stdinEnabled(), c.stopOnError());
        return new Message<>(request.identities(), request.header(), request.parentHeader(), request.metadata(), hinted,
                request.buffers());
    }

    /** The hint for a cell's code, or null. */
    static String hint(JavaEngine engine, String code) {
        if (code.strip().startsWith("%")) {
            return null;  // a magic (the setup cell itself)
        }
        boolean setUp = engine.getShell().variables().anyMatch(v -> v.name().equals(SETUP_VARIABLE));
        if (!setUp) {
            for (String name : SETUP_NAMES) {
                if (Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "\\b").matcher(code).find()) {
                    return "hint: this cell uses " + name + ", which the notebook's first code cell defines "
                            + "(%load utils/calf-kit.jsh). Run that cell first (again after a kernel restart).";
                }
            }
        }
        return incomplete(engine.getSourceAnalysis(), code);
    }

    /** A hint naming the line where an unfinished statement starts, or null when every statement ends. */
    static String incomplete(SourceCodeAnalysis analysis, String code) {
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (info.completeness() == Completeness.DEFINITELY_INCOMPLETE) {
                int start = code.length() - rest.length() + (rest.length() - rest.stripLeading().length());
                int line = 1 + (int) code.substring(0, start).chars().filter(ch -> ch == '\n').count();
                String first = rest.strip().lines().findFirst().orElse("");
                if (first.length() > 60) {
                    first = first.substring(0, 57) + "...";
                }
                return "hint: the statement that starts on line " + line + " of this cell does not end (" + first
                        + "): a ')', ']', '}' or closing quote is missing, or a line ends too early.";
            }
            if (info.completeness() == Completeness.EMPTY || info.remaining().length() >= rest.length()) {
                return null;
            }
            rest = info.remaining();
        }
        return null;
    }
}
