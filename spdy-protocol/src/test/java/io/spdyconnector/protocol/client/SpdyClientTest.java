package io.spdyconnector.protocol.client;

import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.session.FrameObserver;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SessionStatistics;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.StreamListener;
import io.spdyconnector.protocol.session.WriteCallback;
import io.spdyconnector.protocol.testing.TestSpdyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class SpdyClientTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        closeables.add(0, c);
        return c;
    }

    /** Answers every request with its path and method, echoing any request body after the path. */
    static BiFunction<SpdyStream, HeaderBlock, StreamListener> echo() {
        return (stream, headers) -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            return new StreamListener() {
                @Override
                public void onData(SpdyStream s, ByteBuffer data, boolean fin) {
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    body.writeBytes(b);
                    s.consumed(b.length);
                    if (fin) {
                        respond(s, headers, body.toByteArray());
                    }
                }

                @Override
                public void onHeaders(SpdyStream s, HeaderBlock trailers, boolean fin) {
                    if (fin) {
                        respond(s, headers, (body + "|" + trailers).getBytes(StandardCharsets.UTF_8));
                    }
                }
            };
        };
    }

    static void respond(SpdyStream s, HeaderBlock request, byte[] body) {
        s.reply(HeaderBlock.of(":status", "200", ":version", "HTTP/1.1", "content-type", "text/plain"), false,
                WriteCallback.NOOP);
        byte[] prefix = (request.get(":method") + " " + request.get(":path") + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer all = ByteBuffer.allocate(prefix.length + body.length).put(prefix).put(body).flip();
        s.data(all, true, WriteCallback.NOOP);
    }

    static BiFunction<SpdyStream, HeaderBlock, StreamListener> getsAnswered(
            BiFunction<SpdyStream, HeaderBlock, StreamListener> bodies) {
        return (stream, headers) -> {
            if (stream.state() == io.spdyconnector.protocol.stream.StreamState.REMOTE_CLOSED) {
                respond(stream, headers, new byte[0]);
                return new StreamListener() { };
            }
            return bodies.apply(stream, headers);
        };
    }

    @Test
    void getOverPlainTcp() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), getsAnswered(echo())));
        SpdyClient client = track(SpdyClient.create());
        SpdyResponse r = client.send(SpdyRequest.get(server.url("/hello?x=1")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.protocol()).isEqualTo("spdy/3.1");
        assertThat(r.bodyAsString()).isEqualTo("GET /hello?x=1\n");
        assertThat(r.header("content-type")).isEqualTo("text/plain");
    }

    @Test
    void getOverTlsNegotiatesSpdy31WithAlpn() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.tls(SessionConfig.defaults(), getsAnswered(echo()),
                "spdy/3.1", "spdy/3", "http/1.1"));
        SpdyClient client = track(SpdyClient.builder().insecure().build());
        SpdyResponse r = client.send(SpdyRequest.get(server.url("/secure")));
        assertThat(r.protocol()).isEqualTo("spdy/3.1");
        assertThat(r.bodyAsString()).isEqualTo("GET /secure\n");
    }

    @Test
    void tlsFallsBackToSpdy3WhenThatIsAllTheServerSpeaks() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.tls(SessionConfig.defaults(), getsAnswered(echo()), "spdy/3"));
        SpdyClient client = track(SpdyClient.builder().insecure().build());
        assertThat(client.send(SpdyRequest.get(server.url("/"))).protocol()).isEqualTo("spdy/3");
    }

    @Test
    void serverWithoutSpdyIsAClearError() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.tls(SessionConfig.defaults(), getsAnswered(echo()), "http/1.1"));
        SpdyClient client = track(SpdyClient.builder().insecure().build());
        assertThatThrownBy(() -> client.send(SpdyRequest.get(server.url("/"))))
                .isInstanceOf(IOException.class).hasMessageContaining("did not negotiate SPDY");
    }

    @Test
    void untrustedCertificateIsRejectedUnlessInsecure() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.tls(SessionConfig.defaults(), getsAnswered(echo()), "spdy/3.1"));
        SpdyClient client = track(SpdyClient.create());
        assertThatThrownBy(() -> client.send(SpdyRequest.get(server.url("/")))).isInstanceOf(IOException.class);
    }

    @Test
    void manyConcurrentRequestsShareOneSession() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), getsAnswered(echo())));
        SpdyClient client = track(SpdyClient.create());
        List<CompletableFuture<SpdyResponse>> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            all.add(client.sendAsync(SpdyRequest.get(server.url("/r" + i))));
        }
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).get(10, TimeUnit.SECONDS).bodyAsString()).isEqualTo("GET /r" + i + "\n");
        }
        // 300 requests over a limit of 100 concurrent streams: queued on the one session, none refused.
        assertThat(server.sessions).hasSize(1);
    }

    @Test
    void repliesThatArriveBeforeTheCallerRecordedTheStreamComplete() throws Exception {
        // The server ends each stream in its SYN_REPLY, on the same turn it reads the SYN_STREAM:
        // the reply often reaches the client before sendAsync has returned, which once failed the
        // stream with INTERNAL_ERROR and left the response future hanging.
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), (stream, headers) -> {
            stream.reply(HeaderBlock.of(":status", "204", ":version", "HTTP/1.1"), true, WriteCallback.NOOP);
            return new StreamListener() { };
        }));
        SpdyClient client = track(SpdyClient.create());
        for (int i = 0; i < 2000; i++) {
            SpdyResponse r = client.sendAsync(SpdyRequest.get(server.url("/fast" + i))).get(5, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.protocol()).isEqualTo("spdy/3.1");
        }
    }

    @Test
    void postsBodyAndTrailers() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), getsAnswered(echo())));
        SpdyClient client = track(SpdyClient.create());
        SpdyResponse r = client.send(SpdyRequest.newBuilder(server.url("/up")).method("POST").body("payload")
                .trailers(HeaderBlock.of("x-sum", "7")).build());
        assertThat(r.bodyAsString()).isEqualTo("POST /up\npayload|[x-sum: 7]");
    }

    @Test
    void streamingUploadWaitsForTheWindow() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), getsAnswered(echo())));
        SpdyClient client = track(SpdyClient.create());
        SpdyExchange exchange = client.exchange(SpdyRequest.newBuilder(server.url("/stream")).method("PUT")
                .streamingBody().build(), null);
        byte[] chunk = new byte[100_000];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 20; i++) {
            exchange.write(ByteBuffer.wrap(chunk)).get(10, TimeUnit.SECONDS);
        }
        exchange.end().get(10, TimeUnit.SECONDS);
        SpdyResponse r = exchange.response().get(10, TimeUnit.SECONDS);
        assertThat(r.bodyLength()).isEqualTo("PUT /stream\n".length() + 2_000_000);
    }

    @Test
    void writesIssuedBeforeTheStreamOpensLeaveInTheOrderTheyWereMade() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), getsAnswered(echo())));
        SpdyClient client = track(SpdyClient.create());
        // A new client: the connection is still being made while every write below is issued.
        SpdyExchange exchange = client.exchange(SpdyRequest.newBuilder(server.url("/ordered")).method("PUT")
                .streamingBody().build(), null);
        StringBuilder expected = new StringBuilder("PUT /ordered\n");
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String piece = "piece " + i + ";";
            expected.append(piece);
            writes.add(exchange.write(ByteBuffer.wrap(piece.getBytes(StandardCharsets.US_ASCII))));
        }
        writes.add(exchange.end());
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(exchange.response().get(10, TimeUnit.SECONDS).bodyAsString()).isEqualTo(expected.toString());
    }

    @Test
    void exchangeCancelledBeforeItsStreamOpensSendsNothing() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), getsAnswered(echo())));
        SpdyClient client = track(SpdyClient.create());
        SpdyConnection connection = client.connect(java.net.URI.create(server.url("/"))).get(10, TimeUnit.SECONDS);
        SpdyExchange exchange = new SpdyExchange(SpdyRequest.newBuilder(server.url("/late")).method("PUT")
                .streamingBody().build(), null);
        CompletableFuture<Void> end = exchange.end();
        exchange.cancel();
        exchange.start(connection);
        assertThatThrownBy(() -> exchange.response().get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> end.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(client.send(SpdyRequest.get(server.url("/next"))).status()).isEqualTo(200);
        // Only the second request's stream reached the server.
        assertThat(server.sessions.get(0).statistics().streamsOpened()).isEqualTo(1);
    }

    @Test
    void exchangeCancelledWhileItsStreamOpensIsReset() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), getsAnswered(echo())));
        AtomicReference<SpdyExchange> cancelOnItsSynStream = new AtomicReference<>();
        SpdyClient client = track(SpdyClient.builder().frameObserver(new FrameObserver() {
            @Override
            public void inbound(Frame frame) {
            }

            @Override
            public void outbound(Frame frame) {
                SpdyExchange e = cancelOnItsSynStream.get();
                if (frame instanceof SynStreamFrame && ((SynStreamFrame) frame).streamId() == 3 && e != null) {
                    e.cancel();
                }
            }
        }).build());
        SpdyConnection connection = client.connect(java.net.URI.create(server.url("/"))).get(10, TimeUnit.SECONDS);
        SpdyExchange late = new SpdyExchange(SpdyRequest.newBuilder(server.url("/late")).method("PUT")
                .streamingBody().build(), null);
        cancelOnItsSynStream.set(late);
        // Started on the I/O thread, which writes its SYN_STREAM, and so cancels it, before the
        // stream has been handed back to the exchange: cancel() finds no stream to reset.
        connection.exchange(SpdyRequest.get(server.url("/first")), new ResponseListener() {
            @Override
            public void onHeaders(HeaderBlock headers) {
                late.start(connection);
            }
        }).response().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> late.response().get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        connection.ping().get(10, TimeUnit.SECONDS);
        SessionStatistics atServer = server.sessions.get(0).statistics();
        assertThat(atServer.streamsOpened()).isEqualTo(2);
        assertThat(atServer.resetsReceived()).containsEntry("CANCEL", 1L);
        assertThat(atServer.remoteStreams()).isZero();
    }

    @Test
    void largeDownloadStreamsToAListenerWithDeferredCredit() throws Exception {
        byte[] big = new byte[5_000_000];
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), (s, h) -> {
            s.reply(HeaderBlock.of(":status", "200", ":version", "HTTP/1.1"), false, WriteCallback.NOOP);
            s.data(ByteBuffer.wrap(big), true, WriteCallback.NOOP);
            return new StreamListener() { };
        }));
        SpdyClient client = track(SpdyClient.create());
        long[] received = new long[1];
        List<Runnable> held = new ArrayList<>();
        CompletableFuture<SpdyResponse> f = client.sendAsync(SpdyRequest.get(server.url("/big")), new ResponseListener() {
            @Override
            public void onData(ByteBuffer data, Runnable release) {
                received[0] += data.remaining();
                synchronized (held) {
                    held.add(release);
                }
            }
        });
        // Without released credit the server stops at the 64 KiB stream window.
        Thread.sleep(300);
        assertThat(received[0]).isLessThanOrEqualTo(65536);
        while (!f.isDone()) {
            List<Runnable> now;
            synchronized (held) {
                now = new ArrayList<>(held);
                held.clear();
            }
            now.forEach(Runnable::run);
            Thread.sleep(1);
        }
        assertThat(received[0]).isEqualTo(big.length);
        assertThat(f.get().bodyLength()).isZero();
    }

    @Test
    void receivesPushedResourcesWithTheResponse() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), (s, h) -> {
            SpdyStream pushed = s.push(HeaderBlock.of(":scheme", "http", ":host", h.get(":host"), ":path", "/app.js",
                    ":status", "200", ":version", "HTTP/1.1"), 4, new StreamListener() { });
            pushed.data(ByteBuffer.wrap("js".getBytes(StandardCharsets.UTF_8)), true, WriteCallback.NOOP);
            respond(s, h, new byte[0]);
            return new StreamListener() { };
        }));
        SpdyClient client = track(SpdyClient.create());
        SpdyResponse r = client.send(SpdyRequest.get(server.url("/page")));
        assertThat(r.pushes()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/app.js");
            assertThat(p.status()).isEqualTo(200);
            assertThat(p.bodyAsString()).isEqualTo("js");
        });
    }

    @Test
    void refusedStreamsAreRetriedTransparently() throws Exception {
        int[] seen = new int[1];
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), (s, h) -> {
            if (seen[0]++ == 0) {
                return null;
            }
            respond(s, h, new byte[0]);
            return new StreamListener() { };
        }));
        SpdyClient client = track(SpdyClient.create());
        assertThat(client.send(SpdyRequest.get(server.url("/retry"))).bodyAsString()).isEqualTo("GET /retry\n");
        assertThat(seen[0]).isEqualTo(2);
    }

    @Test
    void streamsAboveGoAwayLastGoodAreRetriedOnANewSession() throws Exception {
        List<SpdyStream> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), (s, h) -> {
            if (h.get(":path").equals("/slow")) {
                held.add(s);
                s.session().goAway();
                return new StreamListener() { };
            }
            respond(s, h, new byte[0]);
            return new StreamListener() { };
        }));
        SpdyClient client = track(SpdyClient.create());
        CompletableFuture<SpdyResponse> slow = client.sendAsync(SpdyRequest.get(server.url("/slow")));
        while (held.isEmpty()) {
            Thread.sleep(5);
        }
        SpdyResponse fast = client.send(SpdyRequest.get(server.url("/fast")));
        assertThat(fast.bodyAsString()).isEqualTo("GET /fast\n");
        respond(held.get(0), HeaderBlock.of(":method", "GET", ":path", "/slow"), new byte[0]);
        assertThat(slow.get(10, TimeUnit.SECONDS).bodyAsString()).isEqualTo("GET /slow\n");
        assertThat(server.sessions).hasSize(2);
    }

    @Test
    void pingMeasuresRoundTrip() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), getsAnswered(echo())));
        SpdyClient client = track(SpdyClient.create());
        SpdyConnection c = client.connect(java.net.URI.create(server.url("/"))).get(10, TimeUnit.SECONDS);
        Duration rtt = c.ping().get(10, TimeUnit.SECONDS);
        assertThat(rtt).isPositive().isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void closeWaitsForStreamsInFlight() throws Exception {
        List<SpdyStream> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        TestSpdyServer server = track(TestSpdyServer.plain(SessionConfig.defaults(), (s, h) -> {
            held.add(s);
            return new StreamListener() { };
        }));
        SpdyClient client = SpdyClient.create();
        CompletableFuture<SpdyResponse> f = client.sendAsync(SpdyRequest.get(server.url("/held")));
        while (held.isEmpty()) {
            Thread.sleep(5);
        }
        Thread answer = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                return;
            }
            respond(held.get(0), HeaderBlock.of(":method", "GET", ":path", "/held"), new byte[0]);
        });
        answer.start();
        client.close();
        assertThat(f).isCompleted();
        assertThat(f.get().bodyAsString()).isEqualTo("GET /held\n");
    }

    @Test
    void connectionRefusedFailsFast() {
        SpdyClient client = track(SpdyClient.create());
        assertThatThrownBy(() -> client.send(SpdyRequest.get("http://127.0.0.1:1/")))
                .isInstanceOf(IOException.class);
    }
}
