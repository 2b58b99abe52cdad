package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.session.FrameObserver;
import org.apache.catalina.Context;
import org.apache.catalina.Host;
import org.apache.catalina.Server;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.realm.MemoryRealm;
import org.apache.catalina.startup.Catalina;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts Tomcat from {@code docs/tomcat-server.xml}, the configuration {@code docs/tomcat.md}
 * documents, through Catalina's own digester, and serves the test webapp over each connector.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServerXmlTest {
    private static final Map<String, String> PROPERTIES = Map.of("spdy.shutdown.port", "-1", "spdy.tls.port", "0",
            "spdy.plain.port", "0", "spdy.shared.port", "0");
    private Path base;
    private Catalina catalina;
    private final TestWebapp app = new TestWebapp();

    @BeforeEach
    void start() throws Exception {
        base = Files.createTempDirectory("catalina-base");
        for (String dir : List.of("conf", "logs", "temp", "webapps", "work", "root")) {
            Files.createDirectories(base.resolve(dir));
        }
        Files.writeString(base.resolve("conf/tomcat-users.xml"),
                "<tomcat-users><user username=\"alice\" password=\"secret\" roles=\"tester\"/></tomcat-users>");
        System.setProperty("catalina.base", base.toString());
        System.setProperty("catalina.home", base.toString());
        PROPERTIES.forEach(System::setProperty);
        System.setProperty("spdy.keystore", TomcatSpdyServer.keystore().toString());
        System.setProperty("spdy.appBase", base.resolve("webapps").toString());

        resetConfigurationSource();
        catalina = new Catalina();
        catalina.setUseShutdownHook(false);
        catalina.setConfigFile(Paths.get("..", "docs", "tomcat-server.xml").toAbsolutePath().normalize().toString());
        catalina.load();
        Server server = catalina.getServer();
        assertThat(server).as("server.xml parsed").isNotNull();
        Host host = (Host) server.findService("Catalina").getContainer().findChild("localhost");
        Context ctx = new StandardContext();
        ctx.setName("");
        ctx.setPath("");
        ctx.setDocBase(base.resolve("root").toString());
        ctx.addLifecycleListener(new Tomcat.FixContextListener());
        MemoryRealm realm = new MemoryRealm();
        realm.setPathname(base.resolve("conf/tomcat-users.xml").toString());
        ctx.setRealm(realm);
        host.addChild(ctx);
        app.install(ctx);
        catalina.start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (catalina != null && catalina.getServer() != null) {
                catalina.stop();
                catalina.getServer().destroy();
            }
        } finally {
            PROPERTIES.keySet().forEach(System::clearProperty);
            for (String p : List.of("spdy.keystore", "spdy.appBase", "catalina.base", "catalina.home")) {
                System.clearProperty(p);
            }
            TomcatSpdyServer.deleteTree(base);
            resetConfigurationSource();
        }
    }

    /**
     * Tomcat keeps where it reads configuration in a static that is set once per JVM; an embedded
     * Tomcat of another test may have set it to its own base. Catalina must read this test's.
     */
    private static void resetConfigurationSource() throws ReflectiveOperationException {
        java.lang.reflect.Field source = org.apache.tomcat.util.file.ConfigFileLoader.class.getDeclaredField("source");
        source.setAccessible(true);
        source.set(null, null);
    }

    private Connector tls() {
        return Stream.of(catalina.getServer().findService("Catalina").findConnectors())
                .filter(c -> c.getProtocolHandlerClassName().endsWith(".Http11NioProtocol")).findFirst().orElseThrow();
    }

    private Connector shared() {
        return Stream.of(catalina.getServer().findService("Catalina").findConnectors())
                .filter(c -> Boolean.TRUE.equals(c.getProperty("detectHttp11"))).findFirst().orElseThrow();
    }

    private Connector plain() {
        return Stream.of(catalina.getServer().findService("Catalina").findConnectors())
                .filter(c -> Boolean.FALSE.equals(c.getProperty("detectHttp11"))).findFirst().orElseThrow();
    }

    @Test
    void everyConnectorOfTheDocumentedServerXmlServesSpdy() throws Exception {
        int tls = tls().getLocalPort();
        int plain = plain().getLocalPort();
        int shared = shared().getLocalPort();
        List<SettingsFrame> settings = new CopyOnWriteArrayList<>();
        try (SpdyClient client = SpdyClient.builder().insecure().frameObserver(new FrameObserver() {
            @Override
            public void inbound(Frame frame) {
                if (frame instanceof SettingsFrame) {
                    settings.add((SettingsFrame) frame);
                }
            }

            @Override
            public void outbound(Frame frame) {
            }
        }).build(); ProjectSpdyClient spdy3 = ProjectSpdyClient.spdy3(); NettySpdyClient netty = new NettySpdyClient()) {
            SpdyResponse overTls = client.send(SpdyRequest.get("https://localhost:" + tls + "/hello"));
            assertThat(overTls.bodyAsString()).startsWith("hello HTTP/1.1 https true spdy/3.1 ");
            assertThat(spdy3.exchange(SpdyTestClient.Req.get("https://localhost:" + tls + "/hello")).text())
                    .startsWith("hello HTTP/1.1 https true spdy/3 ");
            assertThat(client.send(SpdyRequest.get("http://127.0.0.1:" + plain + "/hello")).bodyAsString())
                    .startsWith("hello HTTP/1.1 http false spdy/3.1 ");
            assertThat(client.send(SpdyRequest.get("http://127.0.0.1:" + shared + "/hello")).bodyAsString())
                    .startsWith("hello HTTP/1.1 http false spdy/3.1 ");
            for (String url : List.of("https://localhost:" + tls, "http://127.0.0.1:" + plain, "http://127.0.0.1:" + shared)) {
                SpdyTestClient.Reply r = netty.exchange(SpdyTestClient.Req.get(url + "/secure/x").header("authorization",
                        "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8))));
                assertThat(r.text()).isEqualTo("user=alice auth=BASIC");
            }
            // The attributes reached the engine: the plain connector advertises its own limit.
            assertThat(settings).extracting(Object::toString)
                    .contains("SETTINGS [MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536]",
                            "SETTINGS [MAX_CONCURRENT_STREAMS=50, INITIAL_WINDOW_SIZE=65536]");
        }
        try (Socket s = new Socket("127.0.0.1", shared)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /index.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 ")
                    .endsWith("static text\n");
        }
        try (Socket s = new Socket("127.0.0.1", shared)) {
            s.getOutputStream().write(("GET /index.txt HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: spdy/3.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] head = s.getInputStream().readNBytes(12);
            assertThat(new String(head, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 101");
        }
        catalina.stop();
        String accessLog = readAccessLog();
        assertThat(accessLog).contains("\"GET /hello HTTP/1.1\" 200").contains("\"GET /hello HTTP/1.1\" 200")
                .contains(" spdy/3.1\n").contains("\"GET /index.txt HTTP/1.1\" 200");
    }

    private String readAccessLog() throws IOException {
        try (Stream<Path> logs = Files.list(base.resolve("logs"))) {
            Path log = logs.filter(p -> p.getFileName().toString().startsWith("localhost_access_log")).findFirst()
                    .orElseThrow();
            return Files.readString(log);
        }
    }
}
