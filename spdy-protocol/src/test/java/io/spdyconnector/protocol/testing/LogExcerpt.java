package io.spdyconnector.protocol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The end of a server's log, framed for a failure message. A build log is often read only from its
 * tail, and a whole server log (dozens of expected stack traces) pushes the failing test's name out of
 * it; so the excerpt keeps the last lines without their stack frames, and names the file that holds
 * the rest.
 */
public final class LogExcerpt {
    /** Enough to show what the server did around a failure. */
    public static final int LINES = 40;

    private LogExcerpt() {
    }

    public static String of(String server, Path file) {
        String text;
        try {
            text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return of(server, file, text, LINES);
    }

    static String of(String server, Path file, String text, int lines) {
        List<String> kept = new ArrayList<>();
        int frames = 0;
        for (String line : text.split("\n", -1)) {
            String trimmed = line.stripLeading();
            if (trimmed.length() < line.length() && (trimmed.startsWith("at ") || trimmed.startsWith("... "))) {
                frames++;
            } else if (!line.isEmpty()) {
                kept.add(line);
            }
        }
        int from = Math.max(0, kept.size() - lines);
        StringBuilder out = new StringBuilder("\n----- ").append(server).append(" log ").append(file);
        if (from > 0 || frames > 0) {
            out.append(" (last ").append(kept.size() - from).append(" lines, stack frames left out)");
        }
        out.append(" -----\n");
        for (String line : kept.subList(from, kept.size())) {
            out.append(line).append('\n');
        }
        return out.append("----- end of ").append(server).append(" log -----").toString();
    }
}
