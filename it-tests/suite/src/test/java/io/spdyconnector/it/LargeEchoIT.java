package io.spdyconnector.it;

import io.spdyconnector.it.client.DuplexHttp11;
import io.spdyconnector.it.client.PatternCheck;
import io.spdyconnector.it.client.PatternInputStream;
import io.spdyconnector.it.client.ResponseComparison;
import io.spdyconnector.it.client.SpdyTransport;
import io.spdyconnector.it.client.TestRequest;
import io.spdyconnector.it.client.TestResponse;
import io.spdyconnector.it.target.RunningTargets;
import io.spdyconnector.it.target.Target;
import io.spdyconnector.it.target.TargetKind;
import io.spdyconnector.protocol.client.ResponseListener;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyExchange;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.sample.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100 MiB through each echo servlet and back, streamed both ways (neither client nor server may
 * hold the body), and the same over HTTP/1.1. The heaviest case of the suite, so it runs each echo
 * on each target over clear-text SPDY/3.1 and over TLS SPDY/3, not over TLS SPDY/3.1 too, and with
 * the project's client only (Netty's HTTP codec collects a body in memory, up to 64 MiB);
 * SampleWebappIT runs 1 MiB echoes on every channel with both clients.
 */
@ExtendWith(RunningTargets.class)
@Timeout(300)
class LargeEchoIT {
    static final long SIZE = 100L << 20;
    private static final int CHUNK = 64 * 1024;
    private static final int WRITES_IN_FLIGHT = 4;

    static Stream<Arguments> echoes() {
        List<Arguments> out = new ArrayList<>();
        for (TargetKind target : TargetKind.selected()) {
            for (String servlet : List.of("/sample/echo", "/sample/echo-async")) {
                for (SpdyTransport transport : List.of(SpdyTransport.PLAIN_SPDY_3_1, SpdyTransport.TLS_SPDY_3)) {
                    out.add(Arguments.of(target, servlet, transport));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1} over {2}")
    @MethodSource("echoes")
    void hundredMebibytesEchoBackAsOverHttp11(TargetKind kind, String servlet, SpdyTransport transport) throws Exception {
        Target target = RunningTargets.get(kind);
        Echoed overSpdy = overSpdy(transport, transport.origin(target).resolve(servlet));
        Echoed overHttp11 = overHttp11(transport.http11Origin(target).resolve(servlet));
        assertThat(overSpdy.describe()).as("%s over %s compared with HTTP/1.1", servlet, transport)
                .isEqualTo(overHttp11.describe());
        assertThat(overSpdy.head.status()).isEqualTo(200);
        assertThat(overSpdy.body.firstMismatch()).as("first byte that is not the pattern").isEqualTo(-1);
        assertThat(overSpdy.body.length()).isEqualTo(SIZE);
    }

    /** What came back: the response head, and the body as its check saw it. */
    private record Echoed(TestResponse head, PatternCheck body) {
        String describe() {
            return ResponseComparison.describe(head) + "\nstreamed body: " + body.summary();
        }
    }

    /** Streams the upload while the response streams back, with a few writes in flight at a time. */
    private static Echoed overSpdy(SpdyTransport transport, URI uri) throws Exception {
        PatternCheck body = new PatternCheck(0);
        HeaderBlock[] head = new HeaderBlock[1];
        try (SpdyClient client = transport.newClient().build()) {
            SpdyExchange exchange = client.exchange(SpdyRequest.newBuilder(uri).method("POST")
                    .header("user-agent", TestRequest.USER_AGENT).header("content-type", "application/octet-stream")
                    .header("content-length", Long.toString(SIZE)).streamingBody().build(), new ResponseListener() {
                        @Override
                        public void onHeaders(HeaderBlock headers) {
                            head[0] = headers;
                        }

                        @Override
                        public void onData(ByteBuffer data, Runnable release) {
                            body.accept(data);
                            release.run();
                        }
                    });
            ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
            ArrayDeque<byte[]> free = new ArrayDeque<>();
            for (int i = 0; i < WRITES_IN_FLIGHT; i++) {
                free.add(new byte[CHUNK]);
            }
            ArrayDeque<byte[]> used = new ArrayDeque<>();
            for (long offset = 0; offset < SIZE; offset += CHUNK) {
                if (free.isEmpty()) {
                    inFlight.poll().get(60, TimeUnit.SECONDS);
                    free.add(used.poll());
                }
                byte[] chunk = free.poll();
                int n = (int) Math.min(CHUNK, SIZE - offset);
                Pattern.fill(chunk, n, offset);
                used.add(chunk);
                inFlight.add(exchange.write(ByteBuffer.wrap(chunk, 0, n)));
            }
            exchange.end().get(60, TimeUnit.SECONDS);
            SpdyResponse response = exchange.response().get(120, TimeUnit.SECONDS);
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            head[0].forEach((name, value) -> {
                if (!name.startsWith(":")) {
                    headers.add(Map.entry(name, value));
                }
            });
            return new Echoed(new TestResponse(response.status(), TestResponse.headers(headers), new byte[0],
                    response.protocol()), body);
        }
    }

    private static Echoed overHttp11(URI uri) throws Exception {
        PatternCheck body = new PatternCheck(0);
        TestResponse head = DuplexHttp11.post(uri, uri.getRawPath(), Map.of("User-Agent", TestRequest.USER_AGENT,
                "Content-Type", "application/octet-stream"), new PatternInputStream(SIZE), SIZE, body::accept);
        return new Echoed(head, body);
    }
}
