package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.client.ResponseListener;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyExchange;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.tomcat.TomcatSpdyServer.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Streams that stall: a servlet blocked on a read or a write is woken by the stream timeouts, or
 * at once when the client resets the stream, and never waits for ever on a window.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamTimeoutsAndResetsTest {
    private final TestWebapp app = new TestWebapp();
    private TomcatSpdyServer server;

    private void start(Consumer<SpdyUpgradeProtocol> spdy) throws Exception {
        server = new TomcatSpdyServer(ctx -> {
            try {
                app.install(ctx);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, spdy, c -> { });
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Never releases credit: the server can send one window and then must wait. */
    private static final ResponseListener HOARDER = new ResponseListener() {
        @Override
        public void onData(ByteBuffer data, Runnable release) {
        }
    };

    @ParameterizedTest
    @EnumSource(Transport.class)
    void blockingReadWithoutDataTimesOut(Transport t) throws Exception {
        start(spdy -> spdy.setStreamReadTimeout(1000));
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            SpdyExchange upload = client.exchange(SpdyRequest.newBuilder(server.url(t, "/read-failure")).method("POST")
                    .streamingBody().build(), null);
            long start = System.nanoTime();
            SpdyResponse r = upload.response().get(30, TimeUnit.SECONDS);
            // The read failed (it never returned end-of-stream); the servlet let the exception out.
            assertThat(r.status()).isIn(400, 408);
            assertThat(r.bodyAsString()).contains("SocketTimeoutException");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 10_000L);
            assertThat(app.recorded).containsExactly("failed ClientAbortException");
            assertThat(app.readFailure.get()).hasRootCauseInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void nonBlockingReadOfABodyBelowTheMinimumRequestDataRateFails(Transport t) throws Exception {
        start(spdy -> {
            spdy.setMinRequestDataRate(1024);
            spdy.setDataRateWindow(1000);
        });
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            SpdyExchange upload = client.exchange(SpdyRequest.newBuilder(server.url(t, "/nb-echo")).method("POST")
                    .streamingBody().build(), null);
            long start = System.nanoTime();
            // 2 bytes a second, each in time for the 20 s stream read timeout.
            for (int i = 0; i < 20 && !upload.response().isDone(); i++) {
                upload.write(ByteBuffer.wrap(new byte[] {1}));
                Thread.sleep(500);
            }
            // The ReadListener's onError ends the request before its body: the stream is reset.
            assertThatThrownBy(() -> upload.response().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SpdyStreamResetException.class)
                    .satisfies(e -> assertThat(((SpdyStreamResetException) e).status()).isEqualTo(RstStatus.INTERNAL_ERROR));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000L);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void resetByTheClientWakesAServletBlockedInAWrite(Transport t) throws Exception {
        start(spdy -> spdy.setStreamWriteTimeout(-1));
        SpdyRequestGroupInfo stats = server.spdy(t).getGlobal();
        // Netty's codec as the peer: it never opens the window, so the servlet blocks after 64 KiB.
        try (NettyFrameClient netty = NettyFrameClient.connect(server, t)) {
            String host = java.net.URI.create(server.url(t, "/")).getRawAuthority();
            String scheme = t.secure() ? "https" : "http";
            netty.synStream(1, true, ":method", "GET", ":path", "/stream-out?n=1000000", ":version", "HTTP/1.1",
                    ":host", host, ":scheme", scheme);
            Thread servlet = app.streamOutThread.get(30, TimeUnit.SECONDS);
            Conditions.await("the servlet blocked on the closed window",
                    () -> Conditions.blocked(servlet) && app.streamedOut.get() >= 65536);
            netty.write(new io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame(1,
                    io.netty.handler.codec.spdy.SpdyStreamStatus.CANCEL));
            Conditions.await("the servlet's write failed", () -> !app.recorded.isEmpty(),
                    () -> "server resets received: " + stats.getResetsReceivedByStatus());
            assertThat(app.recorded).containsExactly("write failed ClientAbortException");
            // The session goes on.
            netty.synStream(3, true, ":method", "GET", ":path", "/index.txt", ":version", "HTTP/1.1",
                    ":host", host, ":scheme", scheme);
            assertThat(netty.awaitReply(3).headers().get(":status")).startsWith("200");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void finishedResponseStuckBehindAClosedWindowIsResetNotLeftOpen(Transport t) throws Exception {
        start(spdy -> spdy.setStreamWriteTimeout(1000));
        SpdyRequestGroupInfo stats = server.spdy(t).getGlobal();
        try (NettyFrameClient netty = NettyFrameClient.connect(server, t)) {
            String host = java.net.URI.create(server.url(t, "/")).getRawAuthority();
            // 90 kB: the servlet finishes (two chunks may wait in the engine), the client never opens its window.
            netty.synStream(1, true, ":method", "GET", ":path", "/bytes?n=90000", ":version", "HTTP/1.1", ":host", host,
                    ":scheme", t.secure() ? "https" : "http");
            netty.await(f -> f instanceof io.netty.handler.codec.spdy.SpdyRstStreamFrame);
            assertThat(netty.described(1)).contains("RST_STREAM #1 INTERNAL_ERROR").noneMatch(d -> d.endsWith(" fin"));
            Conditions.await("the stream gone", () -> stats.getActiveStreams() == 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void writeThatMakesNoProgressTimesOutAndResetsTheStream(Transport t) throws Exception {
        start(spdy -> spdy.setStreamWriteTimeout(1000));
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            CompletableFuture<SpdyResponse> stuck = client.sendAsync(
                    SpdyRequest.get(server.url(t, "/stream-out?n=1000000")), HOARDER);
            assertThatThrownBy(() -> stuck.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SpdyStreamResetException.class)
                    .satisfies(e -> assertThat(((SpdyStreamResetException) e).status()).isEqualTo(RstStatus.INTERNAL_ERROR));
            Conditions.await("the servlet's write failed", () -> !app.recorded.isEmpty());
            assertThat(app.recorded).containsExactly("write failed ClientAbortException");
            assertThat(client.send(SpdyRequest.get(server.url(t, "/index.txt"))).status()).isEqualTo(200);
        }
    }
}
