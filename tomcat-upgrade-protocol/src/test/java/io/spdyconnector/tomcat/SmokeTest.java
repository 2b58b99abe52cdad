package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class SmokeTest {
    public static class Hello extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("hello " + req.getProtocol() + " " + req.getScheme());
        }
    }

    @Test
    void get() throws Exception {
        try (TomcatSpdyServer server = new TomcatSpdyServer(ctx -> {
            Tomcat.addServlet(ctx, "hello", new Hello());
            ctx.addServletMappingDecoded("/hello", "hello");
        }); SpdyClient client = SpdyClient.builder().insecure().build()) {
            for (TomcatSpdyServer.Transport t : TomcatSpdyServer.Transport.values()) {
                SpdyResponse r = client.send(SpdyRequest.get(server.url(t, "/hello")));
                System.out.println(t + " " + r + " " + r.headers() + " " + r.bodyAsString());
                assertThat(r.status()).isEqualTo(200);
            }
        }
    }
}
