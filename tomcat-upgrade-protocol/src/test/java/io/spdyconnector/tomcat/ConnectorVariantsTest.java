package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.tomcat.TomcatSpdyServer.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same adapter under other connector settings: Tomcat's blocking writes instead of its
 * asynchronous I/O ({@code useAsyncIO="false"}), SPDY/3 as the plain protocol, the connector's
 * gzip compression, and compressed header blocks.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConnectorVariantsTest {
    private final TestWebapp app = new TestWebapp();
    private TomcatSpdyServer server;

    private void start(java.util.function.Consumer<SpdyUpgradeProtocol> spdy,
            java.util.function.Consumer<org.apache.catalina.connector.Connector> connector) throws Exception {
        server = new TomcatSpdyServer(ctx -> {
            try {
                app.install(ctx);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, spdy, connector);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void withoutAsyncIoTheSessionWritesFromAContainerThread(Transport t) throws Exception {
        start(spdy -> { }, c -> c.setProperty("useAsyncIO", "false"));
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            byte[] body = TestWebapp.pattern(2_000_000);
            SpdyResponse echo = client.send(SpdyRequest.post(server.url(t, "/echo"), body));
            assertThat(echo.body()).isEqualTo(body);
            SpdyResponse nb = client.send(SpdyRequest.post(server.url(t, "/nb-echo"), body));
            assertThat(nb.body()).isEqualTo(body);
            List<CompletableFuture<SpdyResponse>> many = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                many.add(client.sendAsync(SpdyRequest.get(server.url(t, "/bytes?n=" + (30_000 + i)))));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(many.get(i).get(30, TimeUnit.SECONDS).body()).isEqualTo(TestWebapp.pattern(30_000 + i));
            }
        }
    }

    @Test
    void plainConnectorsCanSpeakSpdy3() throws Exception {
        start(spdy -> {
            if (spdy != null) {
                spdy.setVersion("spdy/3");
            }
        }, c -> { });
        try (SpdyClient client = SpdyClient.builder().plainVersion(SpdyVersion.SPDY_3).build()) {
            for (Transport t : new Transport[] {Transport.PLAIN, Transport.SHARED}) {
                SpdyResponse r = client.send(SpdyRequest.get(server.url(t, "/hello")));
                assertThat(r.protocol()).isEqualTo("spdy/3");
                assertThat(r.bodyAsString()).startsWith("hello HTTP/1.1 http false spdy/3 ");
                byte[] body = TestWebapp.pattern(1_000_000);
                assertThat(client.send(SpdyRequest.post(server.url(t, "/echo"), body)).body()).isEqualTo(body);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectorCompressionGzipsTheBody(Transport t) throws Exception {
        start(spdy -> { }, c -> {
            c.setProperty("compression", "on");
            c.setProperty("compressionMinSize", "1024");
            c.setProperty("compressibleMimeType", "application/octet-stream");
        });
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            SpdyResponse r = client.send(SpdyRequest.newBuilder(server.url(t, "/bytes?n=100000"))
                    .header("accept-encoding", "gzip").build());
            assertThat(r.header("content-encoding")).isEqualTo("gzip");
            assertThat(r.bodyLength()).isLessThan(100_000);
            byte[] plain = new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes();
            assertThat(plain).isEqualTo(TestWebapp.pattern(100_000));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void compressedHeaderBlocksBothWays(Transport t) throws Exception {
        start(spdy -> spdy.setCompressionPolicy("safe"), c -> { });
        try (SpdyClient client = SpdyClient.builder().insecure().sessionConfig(
                io.spdyconnector.protocol.session.SessionConfig.builder()
                        .compressionPolicy(io.spdyconnector.protocol.headers.CompressionPolicy.BEST).build()).build();
             NettySpdyClient netty = new NettySpdyClient()) {
            for (int i = 0; i < 20; i++) {
                SpdyResponse r = client.send(SpdyRequest.newBuilder(server.url(t, "/headers"))
                        .header("x-long", "v".repeat(2000 + i)).build());
                assertThat(r.bodyAsString()).contains("x-long=" + "v".repeat(2000 + i) + "\n");
                assertThat(r.headers().getAll("set-cookie")).containsExactly("a=1", "b=2");
                SpdyTestClient.Reply n = netty.exchange(SpdyTestClient.Req.get(server.url(t, "/headers"))
                        .header("x-long", "w".repeat(1000 + i)));
                assertThat(n.text()).contains("x-long=" + "w".repeat(1000 + i) + "\n");
                assertThat(n.headers("set-cookie")).containsExactly("a=1", "b=2");
            }
        }
    }
}
