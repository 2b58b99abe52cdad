package io.spdyconnector.jetty;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyConnection;
import io.spdyconnector.protocol.client.SpdyExchange;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.FrameObserver;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.StreamListener;
import org.eclipse.jetty.jmx.MBeanContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Timeouts, graceful stop, JMX, malformed requests and flow control against a servlet that waits. */
@Timeout(60)
class JettyLifecycleTest {
    @TempDir
    Path staticDir;
    JettySpdyServer jetty;
    SpdyClient client;
    final List<String> frames = new CopyOnWriteArrayList<>();

    private void start(Consumer<SpdyServerConnectionFactory> configure) throws Exception {
        jetty = new JettySpdyServer(TestApp.context(staticDir), configure);
        client = SpdyClient.builder().insecure().frameObserver(new FrameObserver() {
            @Override
            public void inbound(Frame frame) {
                frames.add("<< " + frame);
            }

            @Override
            public void outbound(Frame frame) {
                frames.add(">> " + frame);
            }
        }).build();
    }

    @AfterEach
    void stop() throws Exception {
        TestApp.gate.countDown();
        if (client != null) {
            client.close();
        }
        if (jetty != null) {
            jetty.close();
        }
    }

    @Test
    void gracefulStopSendsGoAwayWithTheLastAdmittedStreamAndFinishesIt() throws Exception {
        start(f -> { });
        client.send(SpdyRequest.get(jetty.plainUrl("/hello")));
        CompletableFuture<SpdyResponse> slow = client.sendAsync(SpdyRequest.get(jetty.plainUrl("/sleep?ms=1500")));
        // Stop only once the server has admitted the slow stream, so it is covered by the GOAWAY.
        waitFor(() -> jetty.plainSpdy.getSessionContainer().getStreamCount() == 1);
        Thread stopper = new Thread(() -> {
            try {
                jetty.server.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopper.start();
        SpdyResponse r = slow.get(10, TimeUnit.SECONDS);
        assertThat(r.bodyAsString()).isEqualTo("slept 1500");
        assertThat(frames).contains("<< GOAWAY last=3 OK");
        stopper.join(10_000);
        assertThat(jetty.server.isStopped()).isTrue();
    }

    @Test
    void idleSessionSaysGoAwayAndCloses() throws Exception {
        start(f -> { });
        jetty.plain.setIdleTimeout(300);
        SpdyConnection c = client.connect(URI.create(jetty.plainUrl("/"))).get(5, TimeUnit.SECONDS);
        waitFor(() -> frames.contains("<< GOAWAY last=0 OK"));
        waitFor(() -> !c.isOpen());
    }

    @Test
    void stalledStreamTimesOutWithoutStoppingTheSession() throws Exception {
        start(f -> f.setStreamIdleTimeout(300));
        // The servlet reads the whole body before answering; the body never comes.
        SpdyExchange upload = client.exchange(SpdyRequest.newBuilder(jetty.plainUrl("/gate")).method("POST")
                .streamingBody().build(), null);
        // The stream times out: the servlet's read fails (never a silent EOF), the session stays usable.
        SpdyResponse r = upload.response().handle((response, failure) -> response).get(10, TimeUnit.SECONDS);
        if (r != null) {
            assertThat(r.status()).isEqualTo(500);
        }
        assertThat(client.send(SpdyRequest.get(jetty.plainUrl("/hello"))).status()).isEqualTo(200);
    }

    @Test
    void factoryIsManagedThroughJmx() throws Exception {
        start(f -> f.setMaxConcurrentStreams(42));
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        MBeanContainer container = new MBeanContainer(mbeans);
        jetty.server.addBean(container);
        try {
            client.send(SpdyRequest.get(jetty.plainUrl("/hello")));
            Set<ObjectName> names = mbeans.queryNames(new ObjectName("io.spdyconnector.jetty:type=spdyserverconnectionfactory,*"), null);
            assertThat(names).isNotEmpty();
            int sessions = 0;
            for (ObjectName n : names) {
                assertThat(mbeans.getAttribute(n, "maxConcurrentStreams")).isEqualTo(42);
                sessions += (Integer) mbeans.getAttribute(n, "sessionCount");
            }
            // Three connectors, one factory each; the client holds one session, on the plain one.
            assertThat(names).hasSize(3);
            assertThat(sessions).isEqualTo(1);
        } finally {
            jetty.server.removeBean(container);
            container.destroy();
        }
    }

    @Test
    void requestWithoutPathIsAnswered400ByTheContainer() throws Exception {
        start(f -> { });
        SpdyConnection c = client.connect(URI.create(jetty.plainUrl("/"))).get(5, TimeUnit.SECONDS);
        Reply reply = new Reply();
        c.session().newStream(HeaderBlock.of(":method", "GET", ":version", "HTTP/1.1", ":host", "x", ":scheme", "http"),
                0, true, reply);
        assertThat(reply.status.get(5, TimeUnit.SECONDS)).startsWith("400");
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void connectionSpecificRequestHeadersNeverReachTheApplication() throws Exception {
        start(f -> { });
        SpdyConnection c = client.connect(URI.create(jetty.plainUrl("/"))).get(5, TimeUnit.SECONDS);
        Reply reply = new Reply();
        c.session().newStream(HeaderBlock.of(":method", "GET", ":path", "/headers", ":version", "HTTP/1.1", ":host", "x",
                ":scheme", "http", "connection", "keep-alive", "keep-alive", "300", "proxy-connection", "x",
                "transfer-encoding", "chunked", "x-kept", "1"), 0, true, reply);
        assertThat(reply.status.get(5, TimeUnit.SECONDS)).startsWith("200");
        String seen = reply.body.get(5, TimeUnit.SECONDS);
        assertThat(seen).contains("x-kept=1").doesNotContain("connection").doesNotContain("keep-alive")
                .doesNotContain("transfer-encoding");
    }

    @Test
    void uploadWaitsForTheServletToRead() throws Exception {
        start(f -> { });
        TestApp.gate = new CountDownLatch(1);
        SpdyExchange upload = client.exchange(SpdyRequest.newBuilder(jetty.plainUrl("/gate")).method("POST")
                .streamingBody().build(), null);
        CompletableFuture<Void> written = upload.write(ByteBuffer.wrap(new byte[1 << 20]));
        // The servlet reads nothing yet: only the 64 KiB stream window may be in flight.
        Thread.sleep(500);
        assertThat(written).isNotDone();
        assertThat(client.connect(URI.create(jetty.plainUrl("/"))).get().statistics().bytesWritten()).isLessThan(200_000);
        TestApp.gate.countDown();
        written.get(10, TimeUnit.SECONDS);
        upload.end().get(10, TimeUnit.SECONDS);
        assertThat(upload.response().get(10, TimeUnit.SECONDS).bodyAsString()).isEqualTo(Integer.toString(1 << 20));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 10 s");
            }
            Thread.sleep(10);
        }
    }

    /** Collects the status and body of one raw stream. */
    private static final class Reply implements StreamListener {
        final CompletableFuture<String> status = new CompletableFuture<>();
        final CompletableFuture<String> body = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onReply(SpdyStream stream, HeaderBlock headers, boolean fin) {
            status.complete(headers.get(":status"));
            if (fin) {
                body.complete("");
            }
        }

        @Override
        public void onData(SpdyStream stream, ByteBuffer data, boolean fin) {
            text.append(StandardCharsets.UTF_8.decode(data.duplicate()));
            stream.consumed(data.remaining());
            if (fin) {
                body.complete(text.toString());
            }
        }
    }
}
