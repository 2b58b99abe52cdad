package io.spdyconnector.tomcat;

import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.spdyconnector.protocol.client.ResponseListener;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyExchange;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.tomcat.TomcatSpdyServer.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §2.6.8 as servlets feel it: a request body is held back by the stream window until the
 * servlet reads it (the server never buffers more than the window), and a response is held back by
 * the client's window (the servlet's writes block with a bounded amount buffered).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FlowControlTest {
    private static final int WINDOW = 65536;
    private static final int UPLOAD = 1 << 20;
    private final TestWebapp app = new TestWebapp();
    private TomcatSpdyServer server;

    private void start() throws Exception {
        server = new TomcatSpdyServer(ctx -> {
            try {
                app.install(ctx);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        app.readPermits.release(100_000);
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void slowServletHoldsTheSpdyClientsUploadToTheWindow(Transport t) throws Exception {
        start();
        SpdyRequestGroupInfo stats = server.spdy(t).getGlobal();
        byte[] body = TestWebapp.pattern(UPLOAD);
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            SpdyExchange upload = client.exchange(SpdyRequest.newBuilder(server.url(t, "/slow-reader")).method("POST")
                    .streamingBody().build(), null);
            AtomicInteger written = new AtomicInteger();
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int off = 0; off < UPLOAD; off += 16384) {
                ByteBuffer piece = ByteBuffer.wrap(body, off, 16384);
                chain = chain.thenCompose(v -> upload.write(piece)).thenRun(written::incrementAndGet);
            }
            CompletableFuture<Void> ended = chain.thenCompose(v -> upload.end());
            assertThat(app.slowReaderStarted.await(30, TimeUnit.SECONDS)).isTrue();

            // The servlet has read nothing: the client's first window is all the server holds.
            Conditions.await("a full window buffered", () -> stats.getBufferedRequestBytes() == WINDOW);
            assertThat(written.get()).isLessThanOrEqualTo(WINDOW / 16384 + 1);
            assertThat(ended).isNotDone();

            app.readPermits.release(UPLOAD / 1024 + 1);
            SpdyResponse r = upload.response().get(60, TimeUnit.SECONDS);
            ended.get(10, TimeUnit.SECONDS);
            assertThat(r.bodyAsString()).isEqualTo(UPLOAD + " " + TestWebapp.sha256(body));
        }
        assertThat(stats.getMaxStreamBufferedRequestBytes()).isEqualTo(WINDOW);
        assertThat(stats.getBufferedRequestBytes()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void slowServletHoldsNettysUploadToTheWindow(Transport t) throws Exception {
        start();
        SpdyRequestGroupInfo stats = server.spdy(t).getGlobal();
        byte[] body = TestWebapp.pattern(UPLOAD);
        try (NettySpdyClient netty = new NettySpdyClient()) {
            CompletableFuture<SpdyTestClient.Reply> reply = netty.send(SpdyTestClient.Req.post(server.url(t, "/slow-reader"), body));
            assertThat(app.slowReaderStarted.await(30, TimeUnit.SECONDS)).isTrue();
            Conditions.await("a full window buffered", () -> stats.getBufferedRequestBytes() == WINDOW);
            assertThat(reply).isNotDone();
            app.readPermits.release(UPLOAD / 1024 + 1);
            assertThat(reply.get(60, TimeUnit.SECONDS).text()).isEqualTo(UPLOAD + " " + TestWebapp.sha256(body));
        }
        assertThat(stats.getMaxStreamBufferedRequestBytes()).isEqualTo(WINDOW);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientThatDefersCreditBlocksTheServletsWrites(Transport t) throws Exception {
        start();
        int size = 1_000_000;
        List<Runnable> deferred = new ArrayList<>();
        AtomicBoolean holding = new AtomicBoolean(true);
        AtomicLong received = new AtomicLong();
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            CompletableFuture<SpdyResponse> response = client.sendAsync(
                    SpdyRequest.get(server.url(t, "/stream-out?n=" + size)), new ResponseListener() {
                        @Override
                        public void onData(ByteBuffer data, Runnable release) {
                            byte[] b = new byte[data.remaining()];
                            data.get(b);
                            collected.writeBytes(b);
                            received.addAndGet(b.length);
                            synchronized (deferred) {
                                if (holding.get()) {
                                    deferred.add(release);
                                    return;
                                }
                            }
                            release.run();
                        }
                    });
            Thread servlet = app.streamOutThread.get(30, TimeUnit.SECONDS);
            Conditions.await("the client's window used up", () -> received.get() == WINDOW);
            Conditions.await("the servlet blocked in a write", () -> Conditions.blocked(servlet));
            assertServletHeldBack();
            assertThat(response).isNotDone();

            List<Runnable> credit;
            synchronized (deferred) {
                holding.set(false);
                credit = new ArrayList<>(deferred);
            }
            credit.forEach(Runnable::run);
            assertThat(response.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(collected.toByteArray()).isEqualTo(TestWebapp.pattern(size));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void writeListenerIsNotReadyWhileTheClientsWindowIsClosed(Transport t) throws Exception {
        start();
        int size = 1_000_000;
        try (NettyFrameClient netty = NettyFrameClient.connect(server, t)) {
            String host = URI.create(server.url(t, "/")).getRawAuthority();
            netty.synStream(1, true, ":method", "GET", ":path", "/nb-stream-out?n=" + size, ":version", "HTTP/1.1",
                    ":host", host, ":scheme", t.secure() ? "https" : "http");
            Conditions.await("one window of DATA", () -> dataBytes(netty, 1) == WINDOW);
            Conditions.await("isReady() false", () -> app.notReady.get() > 0);
            long written = app.nonBlockingWritten.get();
            assertThat(written).isLessThanOrEqualTo(WINDOW + 2L * SpdyStreamOutputBuffer.CHUNK + 8192 + 4096);

            netty.write(new DefaultSpdyWindowUpdateFrame(0, size));
            netty.write(new DefaultSpdyWindowUpdateFrame(1, size));
            assertThat(netty.awaitBody(1)).isEqualTo(TestWebapp.pattern(size));
            assertThat(app.recorded).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void nettyWithoutWindowUpdatesGetsOneWindowAndTheRestAfterCredit(Transport t) throws Exception {
        start();
        int size = 300_000;
        try (NettyFrameClient netty = NettyFrameClient.connect(server, t)) {
            String host = URI.create(server.url(t, "/")).getRawAuthority();
            netty.synStream(1, true, ":method", "GET", ":path", "/stream-out?n=" + size, ":version", "HTTP/1.1", ":host",
                    host, ":scheme", t.secure() ? "https" : "http");
            Thread servlet = app.streamOutThread.get(30, TimeUnit.SECONDS);
            Conditions.await("one window of DATA", () -> dataBytes(netty, 1) == WINDOW);
            Conditions.await("the servlet blocked in a write", () -> Conditions.blocked(servlet));
            assertServletHeldBack();
            assertThat(dataBytes(netty, 1)).isEqualTo(WINDOW);

            netty.write(new DefaultSpdyWindowUpdateFrame(0, size));
            netty.write(new DefaultSpdyWindowUpdateFrame(1, size));
            assertThat(netty.awaitBody(1)).isEqualTo(TestWebapp.pattern(size));
        }
    }

    /**
     * While the client's window is closed the servlet may be ahead by what the stream's output
     * buffer holds (a chunk held back, one in the engine) plus Catalina's own 8 KiB buffer.
     */
    private void assertServletHeldBack() {
        long bound = WINDOW + 2L * SpdyStreamOutputBuffer.CHUNK + 8192 + 4096;
        assertThat(app.streamedOut.get()).isLessThanOrEqualTo(bound);
    }

    private static long dataBytes(NettyFrameClient netty, int streamId) {
        long n = 0;
        for (Object f : netty.frames) {
            if (f instanceof SpdyDataFrame && ((SpdyDataFrame) f).streamId() == streamId) {
                n += ((SpdyDataFrame) f).content().readableBytes();
            }
        }
        return n;
    }
}
