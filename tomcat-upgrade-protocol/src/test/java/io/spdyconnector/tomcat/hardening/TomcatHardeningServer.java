package io.spdyconnector.tomcat.hardening;

import io.spdyconnector.protocol.session.SessionMetrics;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;
import io.spdyconnector.protocol.testing.hardening.ProbeServlet;
import io.spdyconnector.tomcat.SpdyNioProtocol;
import io.spdyconnector.tomcat.SpdyUpgradeProtocol;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.AbstractProtocol;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Set;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * Embedded Tomcat serving {@link ProbeServlet} over plain SPDY/3.1 ({@link SpdyNioProtocol}), set
 * up from {@link HardeningOptions} through the {@code UpgradeProtocol}'s own server.xml attributes.
 */
final class TomcatHardeningServer implements HardeningServer {
    private final Tomcat tomcat = new Tomcat();
    private final Connector connector = new Connector(SpdyNioProtocol.class.getName());
    private final SpdyUpgradeProtocol spdy = new SpdyUpgradeProtocol();
    private final ProbeServlet app = new ProbeServlet();
    private final Path baseDir;

    TomcatHardeningServer(HardeningOptions options) throws Exception {
        baseDir = Files.createTempDirectory("tomcat-hardening");
        tomcat.setBaseDir(baseDir.toString());
        if (options.maxConcurrentStreams() > 0) {
            spdy.setMaxConcurrentStreams(options.maxConcurrentStreams());
        }
        if (options.idleTimeoutMs() > 0) {
            spdy.setKeepAliveTimeout(options.idleTimeoutMs());
            // A connection that never sends a byte has no session yet: the connector's own timeout applies.
            connector.setProperty("connectionTimeout", Long.toString(options.idleTimeoutMs()));
        }
        if (options.readTimeoutMs() > 0) {
            spdy.setReadTimeout(options.readTimeoutMs());
        }
        if (options.writeTimeoutMs() > 0) {
            spdy.setWriteTimeout(options.writeTimeoutMs());
        }
        if (options.streamTimeoutMs() > 0) {
            spdy.setStreamReadTimeout(options.streamTimeoutMs());
            spdy.setStreamWriteTimeout(options.streamTimeoutMs());
        }
        spdy.setAbuseProtection(options.abuseProtection());
        spdy.setMaxStreamsPerSession(options.maxStreamsPerSession());
        if (options.minResponseDataRate() > 0) {
            spdy.setMinResponseDataRate(options.minResponseDataRate());
        }
        if (options.dataRateWindowMs() > 0) {
            spdy.setDataRateWindow(options.dataRateWindowMs());
        }
        spdy.setMinRequestDataRate(options.minRequestDataRate());
        connector.addUpgradeProtocol(spdy);
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", Files.createDirectories(baseDir.resolve("webapp")).toString());
        Tomcat.addServlet(context, "probe", app);
        context.addServletMappingDecoded("/*", "probe");
        tomcat.start();
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public SessionMetrics metrics() {
        return spdy.getGlobal().metrics();
    }

    @Override
    public ProbeServlet app() {
        return app;
    }

    @Override
    public int busyThreads() {
        Executor e = connector.getProtocolHandler().getExecutor();
        return e instanceof java.util.concurrent.ThreadPoolExecutor t ? t.getActiveCount()
                : e instanceof org.apache.tomcat.util.threads.ThreadPoolExecutor t2 ? t2.getActiveCount() : -1;
    }

    /**
     * Tomcat registers the protocol's statistics itself, as {@code type=GlobalRequestProcessor} with
     * {@code Upgrade=spdy/3.1-plain}, under the connector's name from before its port was bound.
     */
    @Override
    public ObjectName metricsMBean() throws Exception {
        String name = ObjectName.unquote(((AbstractProtocol<?>) connector.getProtocolHandler()).getName());
        Set<ObjectName> names = ManagementFactory.getPlatformMBeanServer().queryNames(
                new ObjectName("Tomcat:type=GlobalRequestProcessor,Upgrade=spdy/3.1-plain,*"), null);
        return names.stream().filter(n -> (name + "-").startsWith(ObjectName.unquote(n.getKeyProperty("name")) + "-"))
                .findFirst().orElseThrow(() -> new AssertionError("no SPDY MBean for " + name + " in " + names));
    }

    SpdyUpgradeProtocol protocol() {
        return spdy;
    }

    @Override
    public void close() throws Exception {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            try (Stream<Path> files = Files.walk(baseDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // A temporary directory left behind.
            }
        }
    }
}
