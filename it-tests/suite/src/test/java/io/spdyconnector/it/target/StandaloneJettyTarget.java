package io.spdyconnector.it.target;

import io.spdyconnector.jetty.testing.JettyBase;
import io.spdyconnector.jetty.testing.JettyProcess;
import io.spdyconnector.jetty.testing.StartedConnector;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * jetty-home 12.1 as a separate process, installed the way docs/jetty.md tells an operator to: the
 * connector's {@code $JETTY_BASE} overlay unzipped into a fresh base, {@code --add-modules} for
 * SPDY over TLS ({@code spdy,https}) and in clear text ({@code spdyc}), the WARs copied to
 * {@code webapps/} and deployed by {@code ee11-deploy}. The {@code jmx} module lets the suite read
 * the connectors' counters; {@code graceful} makes a stop graceful (without it jetty-home stops at
 * once, {@code stopTimeout} 0).
 */
final class StandaloneJettyTarget implements Target {
    static final int MAX_CONCURRENT_STREAMS = 256;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final JettyProcess process;
    private final StartedConnector plain;
    private final StartedConnector tls;
    private AttachedProbe probe;

    private StandaloneJettyTarget(JettyProcess process, StartedConnector plain, StartedConnector tls) {
        this.process = process;
        this.plain = plain;
        this.tls = tls;
    }

    static StandaloneJettyTarget start(String name, URI origin) throws Exception {
        JettyBase base = JettyBase.create(Deployables.jettyHome(), Deployables.work(name));
        base.unpackOverlay(Deployables.jettyBaseOverlay());
        base.addModules("spdyc", "spdy", "https", "ee11-deploy", "jmx", "graceful");
        base.write("etc/keystore.p12", Files.readAllBytes(Deployables.keystore()));
        base.appendIni("ssl-context", "jetty.sslContext.keyStorePassword=changeit");
        base.appendIni("spdy", "jetty.spdy.maxConcurrentStreams=" + MAX_CONCURRENT_STREAMS);
        base.appendIni("spdyc", "jetty.spdyc.maxConcurrentStreams=" + MAX_CONCURRENT_STREAMS);
        base.write("webapps/sample.war", Files.readAllBytes(Deployables.sampleWar()));
        base.write("webapps/proxy.war", Files.readAllBytes(Deployables.proxyWar()));
        // Jetty unpacks WARs into $JETTY_BASE/work when it exists, instead of the system temp directory.
        base.createDirectory("work");

        JettyProcess process = JettyProcess.start(base,
                "jetty.http.host=127.0.0.1", "jetty.http.port=0", "jetty.ssl.host=127.0.0.1", "jetty.ssl.port=0",
                "-D" + "proxy.origin=" + origin);
        try {
            List<StartedConnector> connectors = process.awaitStarted(START_TIMEOUT);
            String log = process.log();
            for (String context : List.of(",/sample,", ",/proxy,")) {
                if (!log.contains(context)) {
                    throw new IllegalStateException("Jetty started without the context " + context + process.logSection());
                }
            }
            return new StandaloneJettyTarget(process, only(connectors, false, process), only(connectors, true, process));
        } catch (Exception | Error e) {
            process.close();
            throw e;
        }
    }

    private static StartedConnector only(List<StartedConnector> connectors, boolean tls, JettyProcess process) {
        List<StartedConnector> found = connectors.stream().filter(c -> c.isTls() == tls).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("expected one " + (tls ? "TLS" : "clear-text") + " connector, Jetty started "
                    + connectors + process.logSection());
        }
        return found.get(0);
    }

    @Override
    public TargetKind kind() {
        return TargetKind.STANDALONE_JETTY;
    }

    @Override
    public URI plainSpdy() {
        return URI.create("http://127.0.0.1:" + plain.port());
    }

    @Override
    public URI plainHttp11() {
        return plainSpdy();
    }

    @Override
    public URI tls() {
        return URI.create("https://localhost:" + tls.port());
    }

    @Override
    public int maxConcurrentStreams(boolean tls) {
        return MAX_CONCURRENT_STREAMS;
    }

    @Override
    public synchronized ServerProbe probe() {
        if (probe == null) {
            try {
                probe = AttachedProbe.jetty(process.pid());
            } catch (Exception e) {
                throw new IllegalStateException("cannot attach to Jetty's JVM " + process.pid(), e);
            }
        }
        return probe;
    }

    @Override
    public String log() {
        return process.logSection();
    }

    /** SIGTERM, as a service manager stops Jetty: its shutdown hook stops the server gracefully. */
    @Override
    public void stop() throws Exception {
        closeProbe();
        int exit = process.stop(STOP_TIMEOUT);
        if (!process.log().contains("Stopped ")) {
            throw new IllegalStateException("Jetty exited with " + exit + " without stopping its server" + log());
        }
    }

    private synchronized void closeProbe() {
        if (probe != null) {
            probe.close();
            probe = null;
        }
    }

    @Override
    public void close() {
        closeProbe();
        process.close();
    }
}
