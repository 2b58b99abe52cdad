package io.spdyconnector.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.tools.serve.ServeCommand.Engine;
import io.spdyconnector.tools.testapp.AnnotatedServlet;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code spdy serve} on both engines: what it serves, on which ports, how it logs and how it stops. */
class ServeCommandTest {
    @ParameterizedTest
    @EnumSource(Engine.class)
    void servesTheSampleOverPlainSpdyTlsWithAlpnAndHttp11(Engine engine) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        try (SpdyClient plain = SpdyClient.create();
                SpdyClient spdy31 = SpdyClient.builder().insecure().build();
                SpdyClient spdy3 = SpdyClient.builder().insecure().versions(SpdyVersion.SPDY_3).build()) {
            SpdyResponse r = plain.send(SpdyRequest.get(server.plainUrl("/hello")));
            assertThat(r.protocol()).isEqualTo("spdy/3.1");
            assertThat(r.bodyAsString()).isEqualTo("hello");
            assertThat(spdy31.send(SpdyRequest.get(server.tlsUrl("/hello"))).protocol()).isEqualTo("spdy/3.1");
            SpdyResponse r3 = spdy3.send(SpdyRequest.get(server.tlsUrl("/hello")));
            assertThat(r3.protocol()).isEqualTo("spdy/3");
            assertThat(r3.bodyAsString()).isEqualTo("hello");
        }
        // Clients without SPDY: HTTP/1.1 on the plain port, and by ALPN's fallback on the TLS port.
        HttpClient http = new HttpClient();
        http.setSslContextFactory(new SslContextFactory.Client(true));
        http.start();
        try {
            for (String url : List.of(server.plainUrl("/hello"), server.tlsUrl("/hello"))) {
                ContentResponse response = http.GET(url);
                assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_1_1);
                assertThat(response.getContentAsString()).isEqualTo("hello");
            }
        } finally {
            http.stop();
        }
        // The sample's static file and error page come from the container's own servlets.
        try (SpdyClient client = SpdyClient.create()) {
            SpdyResponse range = client.send(SpdyRequest.newBuilder(server.plainUrl("/static/pattern.bin"))
                    .header("range", "bytes=251-253").build());
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.body()).containsExactly(0, 1, 2);
            assertThat(client.send(SpdyRequest.get(server.plainUrl("/nowhere"))).status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void printsTheUrlsAndAGetLineThatWorksWhenPasted(Engine engine) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        String banner = server.stderr();
        assertThat(banner).contains(server.plainUrl("/"), server.tlsUrl("/"), "self-signed certificate, SHA-256 ");
        List<String> lines = new ArrayList<>();
        Matcher m = Pattern.compile(" get (.*)").matcher(banner);
        while (m.find()) {
            lines.add(m.group(1).trim());
        }
        assertThat(lines).containsExactly("-i " + server.plainUrl("/hello"), "-k -i " + server.tlsUrl("/hello"));
        for (String line : lines) {
            List<String> args = new ArrayList<>(List.of("get"));
            args.addAll(List.of(line.split(" ")));
            ToolRun run = ToolRun.of(args.toArray(new String[0]));
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).startsWith("spdy/3.1 200").endsWith("\n\nhello");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void jsonLogHasOneObjectPerRequestWithTheSpdyVersion(Engine engine) throws Exception {
        try (ServeHarness server = ServeHarness.start(engine, "--json-log", "--no-tls")) {
            assertThat(server.serving.tlsPort()).isEqualTo(-1);
            try (SpdyClient client = SpdyClient.create()) {
                client.send(SpdyRequest.newBuilder(server.plainUrl("/hello?x=1"))
                        .header("user-agent", "a \"quoted\" \\ agent").build());
            }
            HttpClient http = new HttpClient();
            http.start();
            try {
                assertThat(http.GET(server.plainUrl("/nowhere")).getStatus()).isEqualTo(404);
            } finally {
                http.stop();
            }
            List<JsonNode> lines = waitForLines(server, 2);
            ObjectMapper json = new ObjectMapper();
            // Each container logs when its request completes: the order of the two lines is not fixed.
            JsonNode spdy = lines.stream().filter(l -> l.get("path").asText().equals("/hello")).findFirst().orElseThrow();
            JsonNode http11 = lines.stream().filter(l -> l.get("path").asText().equals("/nowhere")).findFirst()
                    .orElseThrow();
            assertThat(spdy.get("method").asText()).isEqualTo("GET");
            assertThat(spdy.get("path").asText()).isEqualTo("/hello");
            assertThat(spdy.get("query").asText()).isEqualTo("?x=1");
            assertThat(spdy.get("statusCode").asText()).isEqualTo("200");
            assertThat(spdy.get("size").asText()).isEqualTo("5");
            assertThat(spdy.get("remoteAddr").asText()).isEqualTo("127.0.0.1");
            assertThat(spdy.at("/requestAttributes/io.spdyconnector.version").asText()).isEqualTo("spdy/3.1");
            // Each container escapes the values it quotes.
            assertThat(spdy.at("/requestHeaders/user-agent").asText()).isEqualTo("a \"quoted\" \\ agent");
            assertThat(spdy.get("time").asText()).startsWith("[");
            assertThat(Long.parseLong(spdy.get("elapsedTime").asText())).isPositive();
            assertThat(http11.get("statusCode").asText()).isEqualTo("404");
            assertThat(http11.get("protocol").asText()).isEqualTo("HTTP/1.1");
            // Absent values: Tomcat writes "-", Jetty an empty string.
            assertThat(http11.at("/requestAttributes/io.spdyconnector.version").asText()).isIn("-", "");
            assertThat(json.writeValueAsString(spdy)).doesNotContain("\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void gracefulStopSaysGoAwayAndFinishesTheRequestInFlight(Engine engine) throws Exception {
        ServeHarness server = ServeHarness.start(engine, "--no-access-log");
        int port = server.serving.plainPort();
        CompletableFuture<ToolRun> slow = CompletableFuture.supplyAsync(() ->
                ToolRun.of("get", "-v", server.plainUrl("/sleep?ms=3000")));
        // The stop must come after the server admitted the stream; there is no signal to wait for.
        Thread.sleep(1500);
        server.close();
        ToolRun run = slow.get(20, TimeUnit.SECONDS);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("slept 3000 ms\n");
        assertThat(run.stderr()).contains("\n< GOAWAY last=1 OK\n");
        assertThat(run.stderr().indexOf("< GOAWAY")).isLessThan(run.stderr().indexOf("< SYN_REPLY #1"));
        assertThat(server.stderr()).contains("spdy serve: stopping gracefully", "spdy serve: stopped");
        assertThatThrownBy(() -> new Socket("localhost", port).close()).isInstanceOf(ConnectException.class);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void servesWarsAndDirectoriesAtTheirContextPaths(Engine engine, @TempDir Path dir) throws Exception {
        Path war = dir.resolve("shop.war");
        try (InputStream in = getClass().getResourceAsStream("/io/spdyconnector/tools/serve/sample.war")) {
            Files.copy(in, war);
        }
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<p>static</p>");
        // The plain port speaks spdy/3 here: without negotiation, both sides must be told.
        try (ServeHarness server = ServeHarness.start(engine, "--no-tls", "--spdy", "3", "--context", "/docs",
                war.toString(), "--context", "/", site.toString());
                SpdyClient client = SpdyClient.builder().plainVersion(SpdyVersion.SPDY_3).build()) {
            SpdyResponse hello = client.send(SpdyRequest.get(server.plainUrl("/docs/hello")));
            assertThat(hello.bodyAsString()).isEqualTo("hello");
            assertThat(hello.protocol()).isEqualTo("spdy/3");
            assertThat(client.send(SpdyRequest.get(server.plainUrl("/index.html"))).bodyAsString())
                    .isEqualTo("<p>static</p>");
            assertThat(server.stderr()).contains(war + " at /docs", site + " at /", "SPDY (spdy/3, prior knowledge)");
            assertThat(ToolRun.of("get", "--spdy", "3", "-i", server.plainUrl("/docs/hello")).out())
                    .startsWith("spdy/3 200 OK\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void findsServletsByTheirAnnotationsInAWebappWithoutWebXml(Engine engine, @TempDir Path dir) throws Exception {
        String classFile = AnnotatedServlet.class.getName().replace('.', '/') + ".class";
        Path target = dir.resolve("WEB-INF/classes").resolve(classFile);
        Files.createDirectories(target.getParent());
        try (InputStream in = AnnotatedServlet.class.getResourceAsStream("/" + classFile)) {
            Files.copy(in, target);
        }
        try (ServeHarness server = ServeHarness.start(engine, "--no-tls", dir.toString());
                SpdyClient client = SpdyClient.create()) {
            assertThat(client.send(SpdyRequest.get(server.plainUrl("/annotated"))).bodyAsString())
                    .isEqualTo("found by its annotation on spdy/3.1");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void servesTlsWithTheGivenKeyStoreAndRefusesAWrongPassword(Engine engine, @TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", "secret", "-keypass", "secret")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        try (ServeHarness server = ServeHarness.start(engine, "--keystore", keyStore.toString(),
                "--keystore-password", "secret")) {
            assertThat(server.stderr()).contains("by ALPN (certificate SHA-256 ");
            ToolRun run = ToolRun.of("get", "-k", server.tlsUrl("/hello"));
            assertThat(run.out()).isEqualTo("hello");
        }
        ToolRun wrong = ToolRun.of("serve", "--engine", engine.name(), "--port", "0", "--keystore", keyStore.toString(),
                "--keystore-password", "wrong");
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCodes.SERVE_FAILED);
        assertThat(wrong.stderr()).startsWith("spdy serve: cannot read key store " + keyStore);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aPortInUseFailsWithItsOwnExitCode(Engine engine) throws Exception {
        ServeHarness running = ServeHarness.shared(engine);
        assertThatThrownBy(() -> ServeHarness.start(engine, "--port", Integer.toString(running.serving.plainPort())))
                .isInstanceOfSatisfying(ToolException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.SERVE_FAILED));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aMissingWarIsAUsageError(Engine engine) {
        ToolRun run = ToolRun.of("serve", "--engine", engine.name(), "--port", "0", "/no/such.war");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).isEqualTo("spdy serve: no such WAR or directory: /no/such.war\n");
    }

    private static List<JsonNode> waitForLines(ServeHarness server, int count) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : server.stdout().split("\n")) {
                if (!line.isBlank()) {
                    lines.add(json.readTree(line));
                }
            }
            if (lines.size() >= count || System.nanoTime() > deadline) {
                assertThat(lines).hasSize(count);
                return lines;
            }
            Thread.sleep(50);
        }
    }
}
