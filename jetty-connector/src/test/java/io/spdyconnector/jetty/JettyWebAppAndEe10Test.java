package io.spdyconnector.jetty;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A web application deployed from web.xml (ee11), and an ee10 servlet context, over SPDY. */
@Timeout(60)
class JettyWebAppAndEe10Test {
    @TempDir
    Path dir;
    Server server;
    ServerConnector connector;

    private void start(Handler handler) throws Exception {
        server = new Server();
        connector = new ServerConnector(server, new SpdyServerConnectionFactory(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private SpdyResponse get(String path) throws Exception {
        try (SpdyClient client = SpdyClient.create()) {
            return client.send(SpdyRequest.get("http://127.0.0.1:" + connector.getLocalPort() + path));
        }
    }

    @Test
    void webAppFromWebXmlWithStaticFilesAndErrorPage() throws Exception {
        Path webInf = Files.createDirectories(dir.resolve("WEB-INF"));
        Files.writeString(webInf.resolve("web.xml"), """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                  <servlet><servlet-name>hello</servlet-name>
                    <servlet-class>io.spdyconnector.jetty.TestApp$Hello</servlet-class></servlet>
                  <servlet-mapping><servlet-name>hello</servlet-name><url-pattern>/hello</url-pattern></servlet-mapping>
                  <filter><filter-name>marker</filter-name>
                    <filter-class>io.spdyconnector.jetty.TestApp$Marker</filter-class></filter>
                  <filter-mapping><filter-name>marker</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                  <error-page><error-code>404</error-code><location>/missing.html</location></error-page>
                </web-app>
                """);
        Files.writeString(dir.resolve("index.txt"), "static text", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("missing.html"), "not here", StandardCharsets.UTF_8);
        WebAppContext webapp = new WebAppContext(dir.toString(), "/app");
        webapp.setParentLoaderPriority(true);
        start(webapp);

        SpdyResponse hello = get("/app/hello");
        assertThat(hello.bodyAsString()).startsWith("hello HTTP/1.1 http false spdy/3.1");
        assertThat(hello.header("x-filtered")).isEqualTo("true");
        assertThat(get("/app/index.txt").bodyAsString()).isEqualTo("static text");
        SpdyResponse missing = get("/app/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.bodyAsString()).isEqualTo("not here");
    }

    @Test
    void ee10ServletContext() throws Exception {
        org.eclipse.jetty.ee10.servlet.ServletContextHandler context =
                new org.eclipse.jetty.ee10.servlet.ServletContextHandler("/ee10");
        context.addServlet(TestApp.Hello.class, "/hello");
        start(context);
        SpdyResponse r = get("/ee10/hello");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyAsString()).startsWith("hello HTTP/1.1 http false spdy/3.1");
    }
}
