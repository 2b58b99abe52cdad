package io.spdyconnector.tools;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded jar and the {@code spdy} launcher as a user runs them, in their own processes: how fast
 * {@code --help} starts, and that a signal stops {@code serve} gracefully. Runs after {@code package}.
 */
class LauncherIT {
    private static final Path JAR = Path.of(System.getProperty("spdy.toolsJar", "target/spdy-tools.jar"));
    private static final Path LAUNCHER = Path.of(System.getProperty("spdy.launcher", "bin/spdy"));

    @Test
    void helpStartsWellUnderASecond() throws Exception {
        assertThat(JAR).exists();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            String output = help();
            best = Math.min(best, System.nanoTime() - start);
            assertThat(output).startsWith("Usage: spdy").contains("serve", "get", "bench", "Exit codes:");
        }
        System.out.printf("spdy --help: %d ms (best of 3)%n", best / 1_000_000);
        // Generous: a loaded build machine; on an idle one this is a few hundred milliseconds.
        assertThat(best).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void helpLoadsNoContainerClass() throws Exception {
        Path log = JAR.resolveSibling("help-class-load.log");
        help("-Xlog:class+load=info:file=" + log);
        assertThat(Files.readString(log)).contains("io.spdyconnector.tools.SpdyTool")
                .doesNotContain("org.eclipse.jetty.", "org.apache.catalina.", "org.apache.coyote.");
    }

    private static String help(String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", JAR.toString(), "--help"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = read(p.getInputStream());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void theLauncherRunsTheJar() throws Exception {
        Process p = new ProcessBuilder("sh", LAUNCHER.toString(), "--version").redirectErrorStream(true).start();
        String output = read(p.getInputStream());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).startsWith("spdy ");
    }

    @ParameterizedTest
    @CsvSource({"jetty, INT, 130", "tomcat, TERM, 143"})
    void aSignalStopsServeGracefully(String engine, String signal, int exitCode) throws Exception {
        Process server = new ProcessBuilder("sh", LAUNCHER.toString(), "serve", "--engine", engine, "--port", "0",
                "--tls-port", "0").start();
        StringBuffer stderr = new StringBuffer();
        StringBuffer stdout = new StringBuffer();
        Thread errReader = pump(server.getErrorStream(), stderr);
        Thread outReader = pump(server.getInputStream(), stdout);
        try {
            String banner = waitFor(stderr, "Ctrl-C stops gracefully.", server);
            Matcher plain = Pattern.compile("(\\S+) get -i (http://localhost:\\d+/hello)").matcher(banner);
            assertThat(plain.find()).as(banner).isTrue();
            assertThat(plain.group(1)).isEqualTo(LAUNCHER.toString());
            String url = plain.group(2);
            try (SpdyClient client = SpdyClient.create()) {
                assertThat(client.send(SpdyRequest.get(url)).bodyAsString()).isEqualTo("hello");
                CompletableFuture<SpdyResponse> slow = client.sendAsync(SpdyRequest.get(
                        url.replace("/hello", "/sleep?ms=2000")));
                Thread.sleep(800);
                if (signal.equals("INT") && ignores(server, 2)) {
                    // This build runs in the background of a shell: Ctrl-C cannot reach it, so stop it as kill does.
                    System.out.println("SIGINT is ignored by this build's processes; using SIGTERM");
                    signal = "TERM";
                    exitCode = 143;
                }
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(server.pid())).start();
                assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                SpdyResponse r = slow.get(30, TimeUnit.SECONDS);
                assertThat(r.bodyAsString()).isEqualTo("slept 2000 ms\n");
            }
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            errReader.join(5000);
            outReader.join(5000);
            assertThat(server.exitValue()).as(stderr.toString()).isEqualTo(exitCode);
            assertThat(stderr.toString()).contains("spdy serve: stopping gracefully", "spdy serve: stopped");
            assertThat(stdout.toString()).contains("\"GET /sleep?ms=2000 HTTP/1.1\" 200 14 ");
        } finally {
            server.destroyForcibly();
        }
    }

    private static String waitFor(StringBuffer text, String marker, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!text.toString().contains(marker)) {
            assertThat(process.isAlive()).as(text.toString()).isTrue();
            assertThat(System.nanoTime()).as("no '" + marker + "' in: " + text).isLessThan(deadline);
            Thread.sleep(50);
        }
        return text.toString();
    }

    private static Thread pump(InputStream in, StringBuffer into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    into.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Whether the process ignores {@code signal}, as processes started in the background by a
     * non-interactive shell ignore SIGINT: the JVM then installs no handler for it (Linux only).
     */
    private static boolean ignores(Process process, int signal) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (mask & (1L << (signal - 1))) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: assume the default disposition.
        }
        return false;
    }
}
