package io.spdyconnector.tools.serve;

import io.spdyconnector.tools.ExitCodes;
import io.spdyconnector.tools.SpdyTool;
import io.spdyconnector.tools.ToolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code spdy serve}. Starting and stopping are separate from {@link #call()}, which only waits for
 * the JVM to be asked to stop, so that tests drive the very same start and graceful stop in-process.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve WAR files or exploded webapps over SPDY on embedded Jetty or Tomcat: SPDY (prior "
                + "knowledge), HTTP/1.1 and h2c on the plain port; spdy/3.1, spdy/3, h2 and http/1.1 by ALPN on the "
                + "TLS port. With no WAR, serves the bundled sample webapp. Ctrl-C stops gracefully: SPDY sessions "
                + "say GOAWAY and requests in flight finish.", ""},
        footer = {"", "Access log lines go to standard output; messages go to standard error.", "",
                "Examples:",
                "  spdy serve",
                "  spdy serve --engine tomcat --port 9080 --tls-port 9443 target/app.war",
                "  spdy serve --context /shop shop.war --context /admin admin/ \\",
                "      --json-log > access.jsonl"})
public final class ServeCommand implements Callable<Integer> {
    /** The containers spdy serve can run. */
    public enum Engine {
        jetty, tomcat
    }

    @ParentCommand
    private SpdyTool tool;

    @Parameters(arity = "0..*", paramLabel = "WAR-or-DIR",
            description = "WAR files or exploded webapp directories (default: the bundled sample webapp).")
    private List<Path> locations = new ArrayList<>();

    @Option(names = "--engine", paramLabel = "jetty|tomcat", defaultValue = "jetty",
            description = "The container (default: ${DEFAULT-VALUE}).")
    private Engine engine;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "Plain port: SPDY by prior knowledge, HTTP/1.1 and h2c (default: ${DEFAULT-VALUE}; 0: any free port).")
    private int port;

    @Option(names = "--tls-port", paramLabel = "PORT", defaultValue = "8443",
            description = "TLS port: spdy/3.1, spdy/3, h2 and http/1.1 by ALPN (default: ${DEFAULT-VALUE}; 0: any free port).")
    private int tlsPort;

    @Option(names = "--no-tls", description = "Serve the plain port only.")
    private boolean noTls;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "localhost",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    private String host;

    @Option(names = "--keystore", paramLabel = "FILE",
            description = "PKCS12 or JKS key store for TLS (default: a self-signed certificate made at start).")
    private Path keyStore;

    @Option(names = "--keystore-password", paramLabel = "PASSWORD", defaultValue = "changeit",
            description = "Password of --keystore and its key (default: ${DEFAULT-VALUE}).")
    private String keyStorePassword;

    @Option(names = "--context", paramLabel = "/PATH",
            description = "Context path of a webapp; repeat once per webapp, in order (default: / for one webapp, "
                    + "/<file name> for several).")
    private List<String> contexts = new ArrayList<>();

    @Option(names = "--spdy", paramLabel = "3|3.1", defaultValue = "3.1",
            description = "What plain SPDY connections speak (default: ${DEFAULT-VALUE}); TLS negotiates either.")
    private String plainSpdy;

    @Option(names = "--json-log", description = "Access log as JSON lines (the field names of Tomcat's JsonAccessLogValve).")
    private boolean jsonLog;

    @Option(names = "--no-access-log", description = "No access log (for load tests).")
    private boolean noAccessLog;

    @Option(names = "--stop-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long a graceful stop waits for requests in flight (default: ${DEFAULT-VALUE}).")
    private double stopTimeoutSeconds;

    @Option(names = "--verbose", description = "Show the container's INFO messages, not only warnings.")
    private boolean verbose;

    @Override
    public Integer call() throws Exception {
        RunningServer serving = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                serving.stop();
            } catch (Exception e) {
                tool.err().println("spdy serve: error while stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, "spdy-serve-stop"));
        stopped.await();
        return ExitCodes.OK;
    }

    /** Starts the server, prints where it listens, and returns it running. */
    public RunningServer start() throws Exception {
        if (jsonLog && noAccessLog) {
            throw new ToolException(ExitCodes.USAGE, "--json-log and --no-access-log contradict each other");
        }
        String spdyVersion = switch (plainSpdy) {
            case "3", "spdy/3" -> "spdy/3";
            case "3.1", "spdy/3.1" -> "spdy/3.1";
            default -> throw new ToolException(ExitCodes.USAGE, "--spdy takes 3 or 3.1, not " + plainSpdy);
        };
        if (keyStore != null && !Files.isReadable(keyStore)) {
            throw new ToolException(ExitCodes.USAGE, "cannot read key store " + keyStore);
        }
        Path workDir = Files.createTempDirectory("spdy-serve-");
        try {
            List<ServerSettings.Webapp> webapps = Webapps.resolve(locations, contexts, workDir);
            Path store = keyStore;
            String password = keyStorePassword;
            if (!noTls && store == null) {
                password = KeyStores.newPassword();
                store = KeyStores.createSelfSigned(workDir, host, password);
            } else if (!noTls) {
                KeyStores.fingerprint(store, password);
            }
            AccessLogFormat log = noAccessLog ? AccessLogFormat.NONE : jsonLog ? AccessLogFormat.JSON
                    : AccessLogFormat.TEXT;
            ServerSettings settings = new ServerSettings(host, port, noTls ? -1 : tlsPort,
                    store == null ? null : store.toAbsolutePath(), password, spdyVersion, log, tool.out(),
                    Duration.ofMillis((long) (stopTimeoutSeconds * 1000)), verbose, workDir, webapps);
            ServerEngine server = engine == Engine.tomcat ? new TomcatEngine() : new JettyEngine();
            RunningServer running = server.start(settings);
            new Banner(settings, running, locations.isEmpty(), keyStore == null && !noTls).print(tool.err());
            AtomicBoolean stopped = new AtomicBoolean();
            return new StartedServer(running.description(), running::plainPort, running::tlsPort,
                    () -> stopGracefully(running, settings, stopped));
        } catch (RuntimeException | Error e) {
            deleteTree(workDir);
            throw e;
        } catch (Exception e) {
            deleteTree(workDir);
            throw new ToolException(ExitCodes.SERVE_FAILED, "cannot start: " + e, e);
        }
    }

    /**
     * Stops once, however often asked (Ctrl-C while a test closes, say): the container's graceful
     * stop, then the private files.
     */
    private void stopGracefully(RunningServer server, ServerSettings settings, AtomicBoolean stopped)
            throws Exception {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        tool.err().println("spdy serve: stopping gracefully (requests in flight get up to "
                + settings.stopTimeout().toSeconds() + " s)");
        try {
            server.stop();
        } finally {
            deleteTree(settings.workDir());
        }
        tool.err().println("spdy serve: stopped");
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory: what is left, the system cleans up.
        }
    }
}
