package calfkit.train;

import java.io.PrintStream;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Where long work shows its progress: one line per training run, rewritten as the run goes. Two kinds:
 * {@link #live} rewrites a notebook output in place (Jupyter's {@code update_display_data}, which the kit's kernel
 * sends for {@code updateDisplay}); {@link #streamed} appends the epoch numbers to one printed line, for a
 * terminal, a log, or a front end without display updates.
 */
public interface ProgressDisplay {

    /** Opens a new line showing {@code text}. */
    Line open(String text);

    /** A line that is finished as it is shown (a run read back instead of trained). */
    default void note(String text) {
        open(text).finish(text);
    }

    /** One line of progress. */
    interface Line {
        /** During an epoch: the line's new text and the fraction of the run done; a display may skip it. */
        void update(String text, double fraction);

        /** After epoch {@code epoch} is recorded: always shown. */
        void epoch(int epoch, String text, double fraction);

        /** The line's last text. */
        void finish(String text);
    }

    /** Least time between two shown updates within an epoch of a {@link #live} line. */
    long LIVE_INTERVAL_MS = 500;

    /**
     * A display whose lines are notebook outputs rewritten in place.
     *
     * @param show   shows HTML and returns its display id (the kernel's {@code display("text/html", html)})
     * @param update replaces the HTML of a display id (the kernel's {@code updateDisplay(id, "text/html", html)})
     */
    static ProgressDisplay live(Function<String, String> show, BiConsumer<String, String> update) {
        return text -> new Line() {
            private final String id = show.apply(html(text, 0, false));
            private long last = System.nanoTime();

            @Override
            public void update(String t, double fraction) {
                if (System.nanoTime() - last >= LIVE_INTERVAL_MS * 1_000_000L) {
                    show(t, fraction);
                }
            }

            @Override
            public void epoch(int epoch, String t, double fraction) {
                show(t, fraction);
            }

            private void show(String t, double fraction) {
                update.accept(id, html(t, fraction, false));
                last = System.nanoTime();
            }

            @Override
            public void finish(String t) {
                update.accept(id, html(t, 1, true));
            }
        };
    }

    /** A display that prints: the line's text, then each finished epoch's number on it, then its last text. */
    static ProgressDisplay streamed(PrintStream out) {
        return new ProgressDisplay() {
            @Override
            public void note(String text) {
                out.println(text);
            }

            @Override
            public Line open(String text) {
                out.print(text);
                out.flush();
                return streamedLine(out);
            }
        };
    }

    private static Line streamedLine(PrintStream out) {
        return new Line() {
            @Override
            public void update(String t, double fraction) {
            }

            @Override
            public void epoch(int epoch, String t, double fraction) {
                out.print(" " + epoch);
                out.flush();
            }

            @Override
            public void finish(String t) {
                out.println();
                out.println(t);
            }
        };
    }

    /** A progress line as HTML: a bar of the fraction done (none once finished) and the text, in monospace. */
    static String html(String text, double fraction, boolean finished) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        String bar = finished ? "" : String.format(java.util.Locale.ROOT,
                "<progress value=\"%.3f\" max=\"1\" style=\"width:10em;vertical-align:middle\"></progress> ",
                Math.max(0, Math.min(1, fraction)));
        return "<div style=\"font-family:monospace;white-space:pre-wrap\">" + bar + escaped + "</div>";
    }
}
