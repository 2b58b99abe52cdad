package io.spdyconnector.tools;

import io.spdyconnector.tools.serve.ServeCommand.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code spdy get} against {@code spdy serve} on both engines: output, flags and exit codes. */
class GetCommandTest {
    @ParameterizedTest
    @EnumSource(Engine.class)
    void printsTheBodyAndWithDashITheStatusAndHeaders(Engine engine) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        ToolRun body = ToolRun.of("get", server.plainUrl("/hello"));
        assertThat(body.exitCode()).as(body.toString()).isZero();
        assertThat(body.out()).isEqualTo("hello");
        assertThat(body.stderr()).isEmpty();

        ToolRun include = ToolRun.of("get", "-i", server.plainUrl("/hello"));
        assertThat(include.out()).startsWith("spdy/3.1 200 OK\n").contains("\ncontent-length: 5\n")
                .contains("\nx-filtered: true\n").endsWith("\n\nhello").doesNotContain(":status");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void verbosePrintsEveryFrameInAndOutOneLineEach(Engine engine) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        ToolRun run = ToolRun.of("get", "-v", server.plainUrl("/hello"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("hello");
        String[] lines = run.stderr().split("\n");
        assertThat(lines).allMatch(l -> l.startsWith("> ") || l.startsWith("< ") || l.startsWith("* "));
        assertThat(lines[0]).isEqualTo("* connecting to localhost:" + server.serving.plainPort()
                + " (plain TCP, spdy/3.1 by prior knowledge)");
        assertThat(run.stderr()).contains("\n> SETTINGS [", "\n< SETTINGS [", "\n* connected, speaking spdy/3.1\n",
                "\n> SYN_STREAM #1 pri=3 fin [:method: GET, :path: /hello, :version: HTTP/1.1",
                "\n< SYN_REPLY #1 [:status: 200 OK", "\n< DATA #1 len=5 fin\n", "\n> GOAWAY last=0 OK\n");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void overTlsWithAlpnAndASpdyVersionOfChoice(Engine engine) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        ToolRun untrusted = ToolRun.of("get", server.tlsUrl("/hello"));
        assertThat(untrusted.exitCode()).as(untrusted.toString()).isEqualTo(ExitCodes.CONNECT_FAILED);
        assertThat(untrusted.stderr()).startsWith("spdy get: cannot connect to localhost:" + server.serving.tlsPort()
                + ": TLS handshake failed").contains("(use -k for self-signed servers)");

        ToolRun spdy3 = ToolRun.of("get", "-k", "-i", "--spdy", "3", server.tlsUrl("/hello"));
        assertThat(spdy3.exitCode()).as(spdy3.toString()).isZero();
        assertThat(spdy3.out()).startsWith("spdy/3 200 OK\n").endsWith("hello");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void postsTextOrAFileAndSavesTheBody(Engine engine, @TempDir Path dir) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        ToolRun text = ToolRun.of("get", "-d", "a=1&b=2", server.plainUrl("/echo"));
        assertThat(text.out()).isEqualTo("a=1&b=2");

        byte[] bytes = new byte[200_000];
        new Random(5).nextBytes(bytes);
        Path upload = Files.write(dir.resolve("upload.bin"), bytes);
        Path saved = dir.resolve("saved.bin");
        ToolRun file = ToolRun.of("get", "-d", "@" + upload, "-H", "content-type: application/octet-stream",
                "-o", saved.toString(), server.plainUrl("/echo-async"));
        assertThat(file.exitCode()).as(file.toString()).isZero();
        assertThat(file.stdout()).isEmpty();
        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);

        ToolRun headers = ToolRun.of("get", "-H", "X-Test: 42", server.plainUrl("/echo-headers"));
        assertThat(headers.out()).contains("\"x-test\"").contains("42");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void savesALargeBodyAsItArrives(Engine engine, @TempDir Path dir) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        Path saved = dir.resolve("pattern.bin");
        ToolRun run = ToolRun.of("get", "-o", saved.toString(), server.tlsUrl("/static/pattern.bin"), "-k");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        byte[] bytes = Files.readAllBytes(saved);
        assertThat(bytes).hasSize(16 * 1024 * 1024);
        for (int i : new int[] {0, 250, 251, 1 << 20, bytes.length - 1}) {
            assertThat(bytes[i] & 0xff).as("byte %d", i).isEqualTo(i % 251);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void parallelRequestsShareOneSessionAndPrintInOrder(Engine engine) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        ToolRun run = ToolRun.of("get", "-v", "-n", "3", server.plainUrl("/sleep?ms=300"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("slept 300 ms\n".repeat(3));
        assertThat(run.stderr()).contains("> SYN_STREAM #1 ", "> SYN_STREAM #3 ", "> SYN_STREAM #5 ");
        // All three are sent before the first answer: one session, concurrent streams.
        assertThat(run.stderr().indexOf("> SYN_STREAM #5 ")).isLessThan(run.stderr().indexOf("< SYN_REPLY"));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anErrorStatusPrintsTheResponseAndExitsWithFive(Engine engine) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        ToolRun notFound = ToolRun.of("get", server.plainUrl("/nowhere"));
        assertThat(notFound.exitCode()).isEqualTo(ExitCodes.HTTP_ERROR);
        assertThat(notFound.out()).contains("Not found");
        ToolRun wrongMethod = ToolRun.of("get", "-X", "PUT", "-d", "x", server.plainUrl("/echo"));
        assertThat(wrongMethod.exitCode()).isEqualTo(ExitCodes.HTTP_ERROR);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void maxTimeEndsASlowExchangeWithExitFour(Engine engine) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        ToolRun run = ToolRun.of("get", "--max-time", "0.3", server.plainUrl("/sleep?ms=3000"));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.EXCHANGE_FAILED);
        assertThat(run.stderr()).isEqualTo("spdy get: no complete response within 0.3 s (--max-time)\n");
    }

    @Test
    void connectionRefusedExitsWithThree() throws Exception {
        int port = ToolRun.closedPort();
        ToolRun run = ToolRun.of("get", "http://localhost:" + port + "/");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONNECT_FAILED);
        assertThat(run.stderr()).isEqualTo("spdy get: cannot connect to localhost:" + port + ": connection refused\n");
    }

    @Test
    void aServerThatSpeaksOnlyHttp11IsToldApart() throws Exception {
        try (ServerSocket http11 = new ServerSocket(0)) {
            // Every connection is answered, as by a real server: when the first answer arrives
            // before the request was sent, the client sends it on a new connection.
            Thread server = new Thread(() -> {
                while (!http11.isClosed()) {
                    try (Socket s = http11.accept()) {
                        s.getInputStream().read(new byte[1024]);
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException ignored) {
                        // The test reports what the client saw.
                    }
                }
            });
            server.start();
            ToolRun run = ToolRun.of("get", "http://localhost:" + http11.getLocalPort() + "/");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.EXCHANGE_FAILED);
            assertThat(run.stderr()).startsWith("spdy get: ")
                    .endsWith(" (the server sent no SPDY frame: does this port speak SPDY by prior knowledge?)\n");
        }
    }

    @Test
    void badUsageExitsWithTwo() {
        ToolRun badUrl = ToolRun.of("get", "ftp://localhost/");
        assertThat(badUrl.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badUrl.stderr()).isEqualTo("spdy get: bad URL (want http:// or https://): ftp://localhost/\n");

        ToolRun noFile = ToolRun.of("get", "-d", "@/no/such/file", "http://localhost:1/");
        assertThat(noFile.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noFile.stderr()).isEqualTo("spdy get: no such file for -d: /no/such/file\n");

        ToolRun unknown = ToolRun.of("get", "--frobnicate", "http://localhost:1/");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.stderr()).startsWith("spdy get: Unknown option: '--frobnicate'\n")
                .endsWith("Try 'spdy get --help' for more information.\n");

        ToolRun badHeader = ToolRun.of("get", "-H", "nocolon", "http://localhost:1/");
        assertThat(badHeader.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void everyCommandHasHelpWithItsExitCodes() {
        for (String command : new String[] {"serve", "get", "bench"}) {
            ToolRun run = ToolRun.of(command, "--help");
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).startsWith("Usage: spdy " + command).contains("Exit codes:", "  0   success");
        }
        ToolRun top = ToolRun.of("--help");
        assertThat(top.out()).contains("serve", "get", "bench");
        assertThat(ToolRun.of().exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
