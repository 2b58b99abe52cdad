package io.spdyconnector.jetty.testing;

import io.spdyconnector.protocol.testing.LogExcerpt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code java -jar $JETTY_HOME/start.jar} run in a base as a separate process, its output in
 * {@code jetty.log} there. Readiness comes from the log: Jetty prints one line per started
 * connector, with the port it bound, then one for the started server.
 */
public final class JettyProcess implements AutoCloseable {
    private static final Pattern SERVER_STARTED = Pattern.compile("Started \\S*Server@\\p{XDigit}+");

    private final Process process;
    private final Path log;

    private JettyProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts Jetty in {@code base} with {@code name=value} properties on the command line. */
    public static JettyProcess start(JettyBase base, String... properties) throws IOException {
        List<String> command = new ArrayList<>(List.of(JettyBase.java(), "-jar", base.startJar().toString()));
        command.addAll(List.of(properties));
        Path log = base.dir().resolve("jetty.log");
        Process p = new ProcessBuilder(command).directory(base.dir().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        // Should the test JVM end without its tests' clean-up, Jetty ends with it.
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "kill-jetty-" + p.pid()));
        return new JettyProcess(p, log);
    }

    /** Waits until the server has started and returns its connectors; fails with the log otherwise. */
    public List<StartedConnector> awaitStarted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = log();
            if (SERVER_STARTED.matcher(text).find()) {
                return StartedConnector.parseAll(text);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Jetty exited with " + process.exitValue() + " before it started"
                        + logSection());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Jetty did not start within " + timeout.toSeconds() + " s" + logSection());
            }
            Thread.sleep(50);
        }
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The end of the log, framed for a failure message. */
    public String logSection() {
        return LogExcerpt.of("Jetty", log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The server JVM's process id: start.jar runs Jetty in its own JVM unless told to fork. */
    public long pid() {
        return process.pid();
    }

    /**
     * Stops Jetty as a service manager would (SIGTERM runs its shutdown hook, which stops the
     * server gracefully) and returns the exit code; kills it if it has not exited in time.
     */
    public int stop(Duration timeout) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("Jetty did not stop within " + timeout.toSeconds() + " s, killed"
                        + logSection());
            }
        }
        return process.exitValue();
    }

    /** Kills the process and whatever it started, without waiting. */
    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Always ends the process, however the test went. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }
}
