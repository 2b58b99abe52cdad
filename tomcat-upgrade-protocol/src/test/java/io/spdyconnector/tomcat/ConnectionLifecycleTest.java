package io.spdyconnector.tomcat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyExchange;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.tomcat.TomcatSpdyServer.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection's life around the streams: JMX counters, the per-session execution cap, truncated
 * uploads, and Tomcat's timeouts (keep-alive, a frame left half-sent).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConnectionLifecycleTest {
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
        app.slowRelease.countDown();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sessionAndStreamCountersAreRegisteredLikeTomcatsUpgradeProtocols() throws Exception {
        start(spdy -> { });
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = mbeans.queryNames(new ObjectName("Tomcat:type=GlobalRequestProcessor,*"), null);
        ObjectName tls = find(names, "spdy/3.1", server.tls);
        ObjectName tls3 = find(names, "spdy/3", server.tls);
        ObjectName plain = find(names, "spdy/3.1-plain", server.plain);
        assertThat(tls3).isNotNull();
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            for (int i = 0; i < 5; i++) {
                assertThat(client.send(SpdyRequest.get(server.url(Transport.TLS, "/index.txt"))).status()).isEqualTo(200);
            }
            assertThat(client.send(SpdyRequest.get(server.url(Transport.PLAIN, "/index.txt"))).status()).isEqualTo(200);
            assertThat(mbeans.getAttribute(tls, "sessionCount")).isEqualTo(1);
            assertThat(mbeans.getAttribute(plain, "sessionCount")).isEqualTo(1);
            assertThat(mbeans.getAttribute(tls, "streamsOpened")).isEqualTo(5L);
            assertThat(mbeans.getAttribute(tls, "requestCount")).isEqualTo(5);
            assertThat((Long) mbeans.getAttribute(tls, "bytesSent")).isEqualTo(5 * 12L);
            assertThat((Long) mbeans.getAttribute(tls, "frameBytesWritten")).isGreaterThan(5 * 12L);
            assertThat(mbeans.getAttribute(tls, "activeStreams")).isEqualTo(0L);
        }
        // Closed sessions leave their totals behind.
        Conditions.await("sessions closed", () -> server.tlsSpdy.getGlobal().getSessionCount() == 0);
        assertThat(mbeans.getAttribute(tls, "sessionsOpened")).isEqualTo(1L);
        assertThat(mbeans.getAttribute(tls, "streamsOpened")).isEqualTo(5L);
        assertThat(mbeans.getAttribute(tls, "goAwaysReceived")).isEqualTo(1L);
        // Tomcat removes them with the connector.
        server.close();
        assertThat(mbeans.isRegistered(tls)).isFalse();
        server = null;
    }

    /** The MBean Tomcat gives an upgrade protocol of {@code connector}. */
    private static ObjectName find(Set<ObjectName> names, String upgrade, org.apache.catalina.connector.Connector connector) {
        // Registered under the name from before the port was bound ("...-auto-2"); later it has the port too.
        String name = ObjectName.unquote(((org.apache.coyote.AbstractProtocol<?>) connector.getProtocolHandler()).getName());
        return names.stream().filter(n -> n.getKeyProperty("name") != null
                && (name + "-").startsWith(ObjectName.unquote(n.getKeyProperty("name")) + "-")
                && upgrade.equals(n.getKeyProperty("Upgrade")))
                .findFirst().orElseThrow(() -> new AssertionError(upgrade + " of " + name + " not in " + names));
    }

    static Stream<Arguments> clientsAndTransports() {
        List<Arguments> all = new ArrayList<>();
        for (String client : List.of("SpdyClient", "Netty")) {
            for (Transport t : Transport.values()) {
                all.add(Arguments.of(client, t));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientsAndTransports")
    void streamsBeyondTheExecutionCapWaitTheirTurn(String clientName, Transport t) throws Exception {
        start(spdy -> spdy.setMaxConcurrentStreamExecution(2));
        SpdyRequestGroupInfo stats = server.spdy(t).getGlobal();
        try (SpdyTestClient client = clientName.equals("Netty") ? new NettySpdyClient() : new ProjectSpdyClient()) {
            List<CompletableFuture<SpdyTestClient.Reply>> slow = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                slow.add(client.send(SpdyTestClient.Req.get(server.url(t, "/slow"))));
            }
            Conditions.await("two running, three queued",
                    () -> stats.getExecutingStreams() == 2 && stats.getQueuedStreams() == 3);
            assertThat(stats.getActiveStreams()).isEqualTo(5);
            app.slowRelease.countDown();
            for (CompletableFuture<SpdyTestClient.Reply> r : slow) {
                assertThat(r.get(30, TimeUnit.SECONDS).body()).hasSize(TestWebapp.SLOW_SIZE);
            }
            assertThat(stats.getQueuedStreams()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void streamResetWhileQueuedBehindTheExecutionCapNeverRunsItsServlet(Transport t) throws Exception {
        start(spdy -> spdy.setMaxConcurrentStreamExecution(1));
        SpdyRequestGroupInfo stats = server.spdy(t).getGlobal();
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            CompletableFuture<SpdyResponse> slow = client.sendAsync(SpdyRequest.get(server.url(t, "/slow")));
            assertThat(app.slowStarted.await(30, TimeUnit.SECONDS)).isTrue();
            SpdyExchange queued = client.exchange(SpdyRequest.get(server.url(t, "/stream-out?n=10")), null);
            Conditions.await("one running, one queued",
                    () -> stats.getExecutingStreams() == 1 && stats.getQueuedStreams() == 1);
            queued.cancel();
            Conditions.await("the client's reset received", () -> stats.getResetsReceived() == 1);
            app.slowRelease.countDown();
            assertThat(slow.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            Conditions.await("nothing queued, running or open", () -> stats.getQueuedStreams() == 0
                    && stats.getExecutingStreams() == 0 && stats.getActiveStreams() == 0);
            assertThat(app.streamOutThread).as("the reset stream's servlet").isNotDone();
            assertThat(client.send(SpdyRequest.get(server.url(t, "/hello"))).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void uploadResetByTheClientFailsTheServletsReadInsteadOfEndingIt(Transport t) throws Exception {
        start(spdy -> { });
        // Netty's codec as the peer: the body and the reset go out exactly as written.
        try (NettyFrameClient netty = NettyFrameClient.connect(server, t)) {
            String host = URI.create(server.url(t, "/")).getRawAuthority();
            netty.synStream(1, false, ":method", "POST", ":path", "/read-failure", ":version", "HTTP/1.1",
                    ":host", host, ":scheme", t.secure() ? "https" : "http");
            netty.write(new DefaultSpdyDataFrame(1, Unpooled.wrappedBuffer(TestWebapp.pattern(10_000))));
            // Reset once the servlet runs: a stream reset before its turn never reaches its servlet.
            SpdyRequestGroupInfo stats = server.spdy(t).getGlobal();
            Conditions.await("the servlet running", () -> stats.getExecutingStreams() == 1);
            netty.write(new io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame(1,
                    io.netty.handler.codec.spdy.SpdyStreamStatus.CANCEL));
            Throwable failure = app.readFailure.get(30, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(IOException.class);
            assertThat(app.recorded).containsExactly("failed ClientAbortException");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void uploadCutByALostConnectionFailsTheServletsRead(Transport t) throws Exception {
        start(spdy -> { });
        try (NettyFrameClient netty = NettyFrameClient.connect(server, t)) {
            String host = URI.create(server.url(t, "/")).getRawAuthority();
            netty.synStream(1, false, ":method", "POST", ":path", "/read-failure", ":version", "HTTP/1.1", ":host", host,
                    ":scheme", t.secure() ? "https" : "http", "content-length", "20000");
            netty.write(new DefaultSpdyDataFrame(1, Unpooled.wrappedBuffer(TestWebapp.pattern(10_000))));
            // Closed only once the server has the DATA: an abortive close could otherwise make the
            // server's kernel drop the request unread, and there would be nothing to fail.
            SpdyRequestGroupInfo stats = server.spdy(t).getGlobal();
            Conditions.await("the DATA received", () -> stats.getMaxStreamBufferedRequestBytes() > 0);
            netty.channel.close().sync();
        }
        assertThat(app.readFailure.get(30, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThat(app.recorded).containsExactly("failed ClientAbortException");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void idleSessionSaysGoAwayAfterTheKeepAliveTimeout(Transport t) throws Exception {
        start(spdy -> spdy.setKeepAliveTimeout(1000));
        try (NettyFrameClient netty = NettyFrameClient.connect(server, t)) {
            String host = URI.create(server.url(t, "/")).getRawAuthority();
            netty.synStream(1, true, ":method", "GET", ":path", "/index.txt", ":version", "HTTP/1.1", ":host", host,
                    ":scheme", t.secure() ? "https" : "http");
            assertThat(TestWebapp.utf8(netty.awaitBody(1))).isEqualTo("static text\n");
            long idleSince = System.nanoTime();
            SpdyGoAwayFrame g = netty.awaitGoAway();
            long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince);
            assertThat(g.lastGoodStreamId()).isEqualTo(1);
            assertThat(idleMillis).isBetween(900L, 5000L);
            netty.closed.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void frameLeftHalfSentClosesTheConnectionAfterTheReadTimeout() throws Exception {
        start(spdy -> spdy.setReadTimeout(1000));
        try (Socket socket = new Socket("127.0.0.1", server.plain.getLocalPort())) {
            // A SYN_STREAM header announcing 100 bytes, and only 2 of them.
            socket.getOutputStream().write(new byte[] {(byte) 0x80, 3, 0, 1, 0, 0, 0, 100, 0, 0});
            socket.getOutputStream().flush();
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(30_000);
            try {
                while (in.read() >= 0) {
                    // SETTINGS and the session window come first.
                }
            } catch (IOException reset) {
                // Closed by the server either way.
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 10_000L);
        }
    }
}
