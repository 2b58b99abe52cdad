package io.spdyconnector.jetty.hardening;

import io.spdyconnector.jetty.SpdyServerConnectionFactory;
import io.spdyconnector.protocol.session.SessionMetrics;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;
import io.spdyconnector.protocol.testing.hardening.ProbeServlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.jmx.MBeanContainer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * Embedded Jetty serving {@link ProbeServlet} over plain SPDY/3.1, set up from
 * {@link HardeningOptions}: the connector's idle timeout stands for the idle, partial-frame and
 * write timeouts, which Jetty does not tell apart; the factory's stream idle timeout for the
 * stream timeouts.
 */
final class JettyHardeningServer implements HardeningServer {
    private final Server server;
    private final QueuedThreadPool threads = new QueuedThreadPool(200, 8, 60_000);
    private final ServerConnector connector;
    private final SpdyServerConnectionFactory spdy;
    private final ProbeServlet app = new ProbeServlet();
    private MBeanContainer mbeans;

    JettyHardeningServer(HardeningOptions options) throws Exception {
        threads.setName("jetty-hardening");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // Jetty's own minimum request data rate: its servlet layer checks it on every read, whatever the transport.
        http.setMinRequestDataRate(options.minRequestDataRate());
        spdy = new SpdyServerConnectionFactory(http);
        if (options.maxConcurrentStreams() > 0) {
            spdy.setMaxConcurrentStreams(options.maxConcurrentStreams());
        }
        spdy.setStreamIdleTimeout(options.streamTimeoutMs());
        spdy.setAbuseProtection(options.abuseProtection());
        spdy.setMaxStreamsPerSession(options.maxStreamsPerSession());
        if (options.minResponseDataRate() > 0) {
            spdy.setMinResponseDataRate(options.minResponseDataRate());
        }
        if (options.dataRateWindowMs() > 0) {
            spdy.setDataRateWindow(options.dataRateWindowMs());
        }
        connector = new ServerConnector(server, 1, 1, spdy);
        connector.setHost("127.0.0.1");
        connector.setIdleTimeout(options.connectorIdleTimeoutMs(30_000));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(app), "/*");
        server.setHandler(context);
        server.setStopTimeout(1000);
        server.start();
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public SessionMetrics metrics() {
        return spdy.getSessionContainer().metrics();
    }

    @Override
    public ProbeServlet app() {
        return app;
    }

    @Override
    public int busyThreads() {
        return threads.getBusyThreads();
    }

    /** Jetty registers MBeans once an {@link MBeanContainer} is among the server's beans, as the {@code jmx} module does. */
    @Override
    public ObjectName metricsMBean() {
        if (mbeans == null) {
            mbeans = new MBeanContainer(ManagementFactory.getPlatformMBeanServer());
            server.addBean(mbeans);
        }
        return mbeans.findMBean(spdy.getSessionContainer());
    }

    SpdyServerConnectionFactory factory() {
        return spdy;
    }

    Server server() {
        return server;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        if (mbeans != null) {
            server.removeBean(mbeans);
            mbeans.destroy();
        }
    }
}
