package io.spdyconnector.jetty.docs;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented embedded set-up serves a servlet on each of its three connectors. */
@Timeout(30)
class EmbeddedSpdyServerTest {
    private static Server server;
    private static SpdyClient client;

    public static class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print(req.getProtocol() + " " + req.getScheme());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(Hello.class, "/hello");
        String keyStore = EmbeddedSpdyServerTest.class.getResource("/test-keystore.p12").toExternalForm();
        server = EmbeddedSpdyServer.spdyServer(context, keyStore, 0, 0, 0);
        for (Connector c : server.getConnectors()) {
            ((ServerConnector) c).setHost("127.0.0.1");
        }
        server.start();
        client = SpdyClient.builder().insecure().build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private static int port(int index) {
        return ((ServerConnector) server.getConnectors()[index]).getLocalPort();
    }

    @Test
    void plainSpdy() throws Exception {
        SpdyResponse r = client.send(SpdyRequest.get("http://127.0.0.1:" + port(0) + "/hello"));
        assertThat(r.bodyAsString()).isEqualTo("HTTP/1.1 http");
    }

    @Test
    void tlsWithAlpn() throws Exception {
        SpdyResponse r = client.send(SpdyRequest.get("https://localhost:" + port(1) + "/hello"));
        assertThat(r.protocol()).isEqualTo("spdy/3.1");
        assertThat(r.bodyAsString()).isEqualTo("HTTP/1.1 https");
    }

    @Test
    void sharedPortServesSpdyAndHttp11() throws Exception {
        SpdyResponse r = client.send(SpdyRequest.get("http://127.0.0.1:" + port(2) + "/hello"));
        assertThat(r.bodyAsString()).isEqualTo("HTTP/1.1 http");
        try (Socket s = new Socket("127.0.0.1", port(2))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String http = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(http).startsWith("HTTP/1.1 200").endsWith("HTTP/1.1 http");
        }
    }
}
