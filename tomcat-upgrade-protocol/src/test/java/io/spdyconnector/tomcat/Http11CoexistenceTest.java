package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.tomcat.TomcatSpdyServer.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.1 next to SPDY: on the shared port (detected by the first byte, served by Tomcat's own
 * processor, keep-alive and pipelining included) and on the TLS port for clients whose ALPN offer
 * has no SPDY in it. The plain SPDY port speaks nothing but SPDY.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http11CoexistenceTest {
    static TomcatSpdyServer server;

    @BeforeAll
    static void start() throws Exception {
        TestWebapp app = new TestWebapp();
        server = new TomcatSpdyServer(ctx -> {
            try {
                app.install(ctx);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String exchange(Socket socket, String requests) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(requests.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void sharedPortServesPipelinedKeepAliveHttp11() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.shared.getLocalPort())) {
            String responses = exchange(s, "GET /index.txt HTTP/1.1\r\nHost: shared\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: shared\r\nContent-Length: 5\r\n\r\nabcde"
                    + "GET /hello HTTP/1.1\r\nHost: shared\r\n\r\n");
            assertThat(responses.split("HTTP/1.1 200 ", -1)).hasSize(4);
            assertThat(responses).contains("\r\n\r\nstatic text\n").contains("\r\n\r\nabcde")
                    .endsWith("hello HTTP/1.1 http false null priority=null stream=null host=shared server=shared:80"
                            + " query=null connection=null by=null");
        }
    }

    @Test
    void sharedPortServesSpdyAndHttp11ConnectionsAtTheSameTime() throws Exception {
        try (SpdyClient client = SpdyClient.create()) {
            List<CompletableFuture<String>> spdy = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                spdy.add(client.sendAsync(SpdyRequest.get(server.url(Transport.SHARED, "/bytes?n=" + (1000 + i))))
                        .thenApply(r -> r.bodyLength() + ""));
            }
            for (int i = 0; i < 5; i++) {
                try (Socket s = new Socket("127.0.0.1", server.shared.getLocalPort())) {
                    assertThat(exchange(s, "GET /index.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                            .startsWith("HTTP/1.1 200 ").endsWith("static text\n");
                }
            }
            for (int i = 0; i < 20; i++) {
                assertThat(spdy.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(Integer.toString(1000 + i));
            }
        }
    }

    @Test
    void sharedPortClosesAConnectionThatSaysNothing() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.shared.getLocalPort())) {
            s.shutdownOutput();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void tlsPortServesHttp11ToClientsWithoutSpdy() throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) trustAll.getSocketFactory().createSocket("localhost", server.tls.getLocalPort())) {
            SSLParameters params = s.getSSLParameters();
            params.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(params);
            s.startHandshake();
            // Tomcat selects nothing when the client offers no protocol it negotiates: HTTP/1.1.
            assertThat(s.getApplicationProtocol()).isIn("", "http/1.1");
            assertThat(exchange(s, "GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200 ").contains("hello HTTP/1.1 https true null");
        }
    }

    @Test
    void plainSpdyPortDoesNotSpeakHttp11() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.plain.getLocalPort())) {
            s.setSoTimeout(30_000);
            byte[] answer = exchange(s, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            // What comes back is SPDY (SETTINGS first, then a GOAWAY for the garbage), never HTTP/1.1.
            assertThat(answer.length).isGreaterThan(0);
            assertThat(answer[0] & 0xFF).isEqualTo(0x80);
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.1");
        }
    }
}
