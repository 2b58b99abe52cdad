package io.spdyconnector.tools.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress line on standard error while a run is going: redrawn in place with a carriage
 * return, so it is only worth drawing on a terminal ({@code bench} turns it off otherwise, and
 * standard output stays free for the report).
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean enabled;

    ProgressBar(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    void update(String label, double fraction, long done, double seconds, long errors) {
        if (!enabled) {
            return;
        }
        int filled = (int) Math.round(fraction * WIDTH);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        err.print(String.format(Locale.ROOT, "\r%-10s [%s] %3d%%  %,d requests  %,.0f req/s  %,d errors   ",
                label, bar, Math.round(fraction * 100), done, seconds > 0 ? done / seconds : 0.0, errors));
        err.flush();
    }

    void done(String label, long done, double seconds, long errors) {
        if (!enabled) {
            return;
        }
        update(label, 1, done, seconds, errors);
        err.println();
    }
}
