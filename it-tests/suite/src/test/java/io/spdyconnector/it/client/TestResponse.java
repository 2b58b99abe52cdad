package io.spdyconnector.it.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A response as any client of the suite received it: header names lower-cased, every value of a
 * header in order (SPDY's NUL-separated values split), and the body.
 */
public record TestResponse(int status, Map<String, List<String>> headers, byte[] body, String protocol) {
    public TestResponse {
        headers = Collections.unmodifiableMap(new TreeMap<>(headers));
    }

    /** Collects headers the way the suite compares them. */
    public static Map<String, List<String>> headers(Iterable<Map.Entry<String, String>> entries) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, String> e : entries) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            for (String value : e.getValue().split("\0")) {
                out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        return out;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return protocol + " " + status + " " + headers + " (" + body.length + " bytes)";
    }
}
