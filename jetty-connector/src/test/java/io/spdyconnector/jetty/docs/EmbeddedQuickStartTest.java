package io.spdyconnector.jetty.docs;

import io.spdyconnector.jetty.SpdyServerConnectionFactory;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The quick start of docs/embedded.md, exactly as printed there. */
@Timeout(30)
class EmbeddedQuickStartTest {

    public static class HelloServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().print("hello over " + req.getAttribute("io.spdyconnector.version"));
        }
    }

    @Test
    void quickStart() throws Exception {
        // tag::quickstart[]
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, new SpdyServerConnectionFactory(new HttpConfiguration()));
        connector.setPort(0);                                   // any free port
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(HelloServlet.class, "/hello");
        server.setHandler(context);
        server.start();

        try (SpdyClient client = SpdyClient.create()) {
            SpdyResponse response = client.send(SpdyRequest.get("http://localhost:" + connector.getLocalPort() + "/hello"));
            assertThat(response.bodyAsString()).isEqualTo("hello over spdy/3.1");
        } finally {
            server.stop();
        }
        // end::quickstart[]
    }
}
