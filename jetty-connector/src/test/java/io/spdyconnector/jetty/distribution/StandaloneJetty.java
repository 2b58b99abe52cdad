package io.spdyconnector.jetty.distribution;

import io.spdyconnector.jetty.testing.JettyBase;
import io.spdyconnector.jetty.testing.JettyProcess;
import io.spdyconnector.jetty.testing.StartedConnector;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * jetty-home started from a fresh base holding the jetty-base overlay of this module, the test
 * keystore and the test WAR as {@code webapps/ROOT.war}. Connectors bind ephemeral ports on the
 * loopback address only; the ports come from the log.
 */
final class StandaloneJetty implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(40);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final JettyBase base;
    private JettyProcess process;
    private List<StartedConnector> connectors = List.of();

    private StandaloneJetty(JettyBase base) {
        this.base = base;
    }

    /** A base in the work directory {@code name} with {@code --add-modules=<modules>} applied. */
    static StandaloneJetty prepare(String name, String... modules) throws IOException, InterruptedException {
        JettyBase base = JettyBase.create(Distribution.jettyHome(), Distribution.work(name));
        base.unpackOverlay(Distribution.overlay());
        base.addModules(modules);
        base.copyResource("/test-keystore.p12", "etc/keystore.p12");
        base.appendIni("ssl-context", "jetty.sslContext.keyStorePassword=changeit");
        base.write("webapps/ROOT.war", TestWebapp.war());
        // Jetty unpacks the WAR into $JETTY_BASE/work when it exists, instead of the system temp directory
        base.createDirectory("work");
        return new StandaloneJetty(base);
    }

    JettyBase base() {
        return base;
    }

    /** The running process, or null before {@link #start()}. */
    JettyProcess process() {
        return process;
    }

    void start() throws IOException, InterruptedException {
        process = JettyProcess.start(base,
                "jetty.http.host=127.0.0.1", "jetty.http.port=0",
                "jetty.ssl.host=127.0.0.1", "jetty.ssl.port=0");
        connectors = process.awaitStarted(START_TIMEOUT);
    }

    StartedConnector plain() {
        return connector(false);
    }

    StartedConnector tls() {
        return connector(true);
    }

    private StartedConnector connector(boolean tls) {
        List<StartedConnector> found = connectors.stream().filter(c -> c.isTls() == tls).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + (tls ? "TLS" : "clear-text") + " connector, Jetty started "
                    + connectors + process.logSection());
        }
        return found.get(0);
    }

    String plainUrl(String path) {
        return "http://127.0.0.1:" + plain().port() + path;
    }

    String tlsUrl(String path) {
        return "https://localhost:" + tls().port() + path;
    }

    /** Stops Jetty gracefully and returns the log; fails if it does not stop in time. */
    String stop() throws InterruptedException {
        if (process == null) {
            return "";
        }
        process.stop(STOP_TIMEOUT);
        return process.log();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
