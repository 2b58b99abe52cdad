package io.spdyconnector.tomcat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the servlet tests need from a SPDY client, so each runs through the project's
 * {@code SpdyClient} and through Netty's SPDY codec, an independent implementation.
 */
interface SpdyTestClient extends AutoCloseable {
    long WAIT_SECONDS = 30;

    String name();

    CompletableFuture<Reply> send(Req request);

    default Reply exchange(Req request) throws Exception {
        return send(request).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    void close();

    /** A request: method, absolute URL, headers, body (null for none), trailers, and how to send the body. */
    record Req(String method, String url, List<String[]> headers, byte[] body, Map<String, String> trailers,
            boolean streamed) {
        static Req get(String url) {
            return new Req("GET", url, List.of(), null, Map.of(), false);
        }

        static Req post(String url, byte[] body) {
            return new Req("POST", url, List.of(), body, Map.of(), false);
        }

        Req method(String m) {
            return new Req(m, url, headers, body, trailers, streamed);
        }

        Req header(String name, String value) {
            List<String[]> h = new ArrayList<>(headers);
            h.add(new String[] {name.toLowerCase(Locale.ROOT), value});
            return new Req(method, url, h, body, trailers, streamed);
        }

        Req trailers(Map<String, String> t) {
            return new Req(method, url, headers, body, t, streamed);
        }

        /** Body sent without content-length, piece by piece. */
        Req streaming() {
            return new Req(method, url, headers, body, trailers, true);
        }
    }

    /** A response: status, headers (lowercase names, repeated values in order), body and trailers. */
    record Reply(int status, String statusLine, Map<String, List<String>> headers, byte[] body,
            Map<String, String> trailers) {
        String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        List<String> headers(String name) {
            return headers.getOrDefault(name, List.of());
        }

        /** A trailer; Netty's HTTP layer folds trailers into the headers. */
        String trailer(String name) {
            String t = trailers.get(name);
            return t != null ? t : header(name);
        }

        String text() {
            return TestWebapp.utf8(body);
        }

        static Map<String, List<String>> headerMap() {
            return new LinkedHashMap<>();
        }
    }
}
