package io.spdyconnector.jetty;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
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

@Timeout(60)
class JettyServletBasicsTest {
    static JettySpdyServer jetty;
    static SpdyClient client;

    public static class Hello extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("hello " + req.getProtocol() + " " + req.getScheme() + " " + req.isSecure()
                    + " " + req.getAttribute(SpdyAttributes.VERSION) + " " + req.getServerName());
        }
    }

    public static class Echo extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/octet-stream");
            try (InputStream in = req.getInputStream(); OutputStream out = resp.getOutputStream()) {
                in.transferTo(out);
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        ServletContextHandler context = JettySpdyServer.context();
        context.addServlet(Hello.class, "/hello");
        context.addServlet(Echo.class, "/echo");
        jetty = new JettySpdyServer(context, f -> { });
        client = SpdyClient.builder().insecure().build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        jetty.close();
    }

    @Test
    void servletAnswersOverPlainSpdy() throws Exception {
        SpdyResponse r = client.send(SpdyRequest.get(jetty.plainUrl("/hello")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyAsString()).isEqualTo("hello HTTP/1.1 http false spdy/3.1 127.0.0.1");
        assertThat(r.header("content-type")).startsWith("text/plain");
    }

    @Test
    void servletAnswersOverTlsWithAlpn() throws Exception {
        SpdyResponse r = client.send(SpdyRequest.get(jetty.tlsUrl("/hello")));
        assertThat(r.protocol()).isEqualTo("spdy/3.1");
        assertThat(r.bodyAsString()).isEqualTo("hello HTTP/1.1 https true spdy/3.1 localhost");
    }

    @Test
    void sharedPortServesSpdyAndHttp11() throws Exception {
        SpdyResponse r = client.send(SpdyRequest.get(jetty.sharedUrl("/hello")));
        assertThat(r.bodyAsString()).startsWith("hello HTTP/1.1 http");
        try (Socket s = new Socket("127.0.0.1", jetty.shared.getLocalPort())) {
            s.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String http = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(http).startsWith("HTTP/1.1 200").contains("hello HTTP/1.1 http false null");
        }
    }

    @Test
    void postBodyIsEchoed() throws Exception {
        byte[] body = new byte[3_000_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i % 251);
        }
        SpdyResponse r = client.send(SpdyRequest.post(jetty.plainUrl("/echo"), body));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyLength()).isEqualTo(body.length);
        assertThat(java.util.Arrays.mismatch(r.body(), body)).as("first differing byte").isEqualTo(-1);
    }

    @Test
    void unknownPathIs404FromTheContainer() throws Exception {
        SpdyResponse r = client.send(SpdyRequest.get(jetty.plainUrl("/nope")));
        assertThat(r.status()).isEqualTo(404);
    }
}
