package io.spdyconnector.it.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One request as every client of the suite sends it: the same bytes over SPDY and over HTTP/1.1. */
public record TestRequest(String method, String path, List<Map.Entry<String, String>> headers, byte[] body) {
    /** What every client of the suite calls itself, so that echoed headers compare equal. */
    public static final String USER_AGENT = "spdy-connector-it";

    public TestRequest {
        headers = List.copyOf(headers);
    }

    public static TestRequest get(String path) {
        return new TestRequest("GET", path, List.of(Map.entry("user-agent", USER_AGENT)), null);
    }

    public static TestRequest head(String path) {
        return new TestRequest("HEAD", path, List.of(Map.entry("user-agent", USER_AGENT)), null);
    }

    public static TestRequest post(String path, byte[] body) {
        return new TestRequest("POST", path, List.of(Map.entry("user-agent", USER_AGENT)), body);
    }

    public static TestRequest post(String path, String body) {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    /** This request with one more header (names are sent lower-case). */
    public TestRequest header(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name.toLowerCase(java.util.Locale.ROOT), value));
        return new TestRequest(method, path, more, body);
    }

    @Override
    public String toString() {
        return method + " " + path + (body == null ? "" : " (" + body.length + " bytes)");
    }
}
