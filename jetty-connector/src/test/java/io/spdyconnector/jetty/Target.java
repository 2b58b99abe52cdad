package io.spdyconnector.jetty;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.testing.NettySpdyClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** One way of reaching the server: a transport (plain, TLS, shared port) and a client (ours, Netty). */
interface Target {
    /** A response reduced to what both clients can report. */
    record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        String text() {
            return TestApp.utf8(body);
        }
    }

    /** Sends a request; {@code headers} alternate names and values. */
    Reply send(String method, String path, byte[] body, String... headers) throws Exception;

    /** Releases the client's connection (deliberately not AutoCloseable: JUnit closes those after each use). */
    void shutdown();

    default Reply get(String path, String... headers) throws Exception {
        return send("GET", path, null, headers);
    }

    /** Uses the project's client. */
    static Target spdyClient(String name, SpdyClient client, String base) {
        return new Target() {
            @Override
            public Reply send(String method, String path, byte[] body, String... headers) throws Exception {
                SpdyRequest.Builder b = SpdyRequest.newBuilder(base + path).method(method);
                for (int i = 0; i < headers.length; i += 2) {
                    b.header(headers[i], headers[i + 1]);
                }
                if (body != null) {
                    b.body(body);
                }
                SpdyResponse r = client.sendAsync(b.build()).get(30, TimeUnit.SECONDS);
                Map<String, List<String>> h = new TreeMap<>();
                r.headers().forEach((n, v) -> h.computeIfAbsent(n, k -> new ArrayList<>()).add(v));
                r.trailers().forEach((n, v) -> h.computeIfAbsent("trailer:" + n, k -> new ArrayList<>()).add(v));
                return new Reply(r.status(), h, r.body());
            }

            @Override
            public void shutdown() {
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** Uses Netty 3's SPDY/2 codec, an independent implementation of the old dialect. */
    static Target spdy2Netty(String name, String base) throws Exception {
        io.spdyconnector.protocol.testing.Spdy2NettyClient client =
                new io.spdyconnector.protocol.testing.Spdy2NettyClient(URI.create(base));
        return new Target() {
            @Override
            public Reply send(String method, String path, byte[] body, String... headers) throws Exception {
                io.spdyconnector.protocol.testing.Spdy2NettyClient.Response r = client.send(method, path, body, headers)
                        .get(Long.getLong("spdy.timeout", 30), TimeUnit.SECONDS);
                return new Reply(r.status(), r.headers(), r.body());
            }

            @Override
            public void shutdown() {
                client.close();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** Uses Netty's SPDY codec, an independent implementation. */
    static Target netty(String name, String base) throws Exception {
        NettySpdyClient client = new NettySpdyClient(URI.create(base));
        return new Target() {
            @Override
            public Reply send(String method, String path, byte[] body, String... headers) throws Exception {
                NettySpdyClient.Response r = client.send(method, path, body, headers).get(Long.getLong("spdy.timeout", 30), TimeUnit.SECONDS);
                return new Reply(r.status(), r.headers(), r.body());
            }

            @Override
            public void shutdown() {
                client.close();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
