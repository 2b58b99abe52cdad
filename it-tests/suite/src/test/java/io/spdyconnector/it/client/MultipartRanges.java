package io.spdyconnector.it.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of a {@code multipart/byteranges} body (RFC 9110 §14.6): each part's range and bytes. */
public final class MultipartRanges {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern CONTENT_RANGE = Pattern.compile("(?im)^content-range:\\s*bytes (\\d+)-(\\d+)/(\\d+)\\s*$");

    /** One part: the first and last byte it says it holds, and what it holds. */
    public record Part(long first, long last, byte[] bytes) {
    }

    private MultipartRanges() {
    }

    public static List<Part> parse(TestResponse r) {
        Matcher b = BOUNDARY.matcher(String.valueOf(r.header("content-type")));
        if (!b.find()) {
            throw new AssertionError("no boundary in content-type " + r.header("content-type"));
        }
        String delimiter = "--" + b.group(1);
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int at = body.indexOf(delimiter);
        while (at >= 0) {
            int start = at + delimiter.length();
            if (body.startsWith("--", start)) {
                return parts;
            }
            int headersEnd = body.indexOf("\r\n\r\n", start);
            int next = body.indexOf("\r\n" + delimiter, headersEnd);
            if (headersEnd < 0 || next < 0) {
                throw new AssertionError("truncated multipart body after part " + parts.size());
            }
            Matcher range = CONTENT_RANGE.matcher(body.substring(start, headersEnd));
            if (!range.find()) {
                throw new AssertionError("part " + parts.size() + " has no content-range: " + body.substring(start, headersEnd));
            }
            parts.add(new Part(Long.parseLong(range.group(1)), Long.parseLong(range.group(2)),
                    body.substring(headersEnd + 4, next).getBytes(StandardCharsets.ISO_8859_1)));
            at = next + 2;
        }
        throw new AssertionError("multipart body without its closing delimiter");
    }
}
