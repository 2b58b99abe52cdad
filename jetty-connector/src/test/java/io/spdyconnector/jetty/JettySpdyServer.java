package io.spdyconnector.jetty;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.function.Consumer;

/**
 * Embedded Jetty with SPDY on three connectors: plain SPDY only, TLS with ALPN (spdy/3.1, spdy/3,
 * http/1.1), and one plain port shared by SPDY and HTTP/1.1 through a detector.
 */
final class JettySpdyServer implements AutoCloseable {
    final Server server;
    final ServerConnector plain;
    final ServerConnector tls;
    final ServerConnector shared;
    final SpdyServerConnectionFactory plainSpdy;
    final SpdyServerConnectionFactory tlsSpdy;
    final SpdyServerConnectionFactory sharedSpdy;

    /** On loopback, each connector on a free port. */
    JettySpdyServer(Handler handler, Consumer<SpdyServerConnectionFactory> configure) throws Exception {
        this(handler, configure, "spdy/3.1", "spdy/3");
    }

    /** With the given SPDY protocols on every connector, e.g. with {@code spdy/2} added. */
    JettySpdyServer(Handler handler, Consumer<SpdyServerConnectionFactory> configure, String... protocols)
            throws Exception {
        server = new Server(new QueuedThreadPool(64, 8, 60_000));
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        plainSpdy = new SpdyServerConnectionFactory(httpConfig, protocols);
        configure = trace().andThen(configure);
        configure.accept(plainSpdy);
        plain = new ServerConnector(server, 1, 1, plainSpdy);

        HttpConfiguration httpsConfig = new HttpConfiguration(httpConfig);
        httpsConfig.addCustomizer(new SecureRequestCustomizer(false));
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(JettySpdyServer.class.getResource("/test-keystore.p12").toExternalForm());
        ssl.setKeyStorePassword("changeit");
        ssl.setKeyStoreType("PKCS12");
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol("http/1.1");
        tlsSpdy = new SpdyServerConnectionFactory(httpsConfig, protocols);
        configure.accept(tlsSpdy);
        tls = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, tlsSpdy,
                new HttpConnectionFactory(httpsConfig));

        sharedSpdy = new SpdyServerConnectionFactory(httpConfig, protocols);
        configure.accept(sharedSpdy);
        shared = new ServerConnector(server, 1, 1,
                new DetectorConnectionFactory((ConnectionFactory.Detecting) sharedSpdy), new HttpConnectionFactory(httpConfig));

        for (ServerConnector c : new ServerConnector[] {plain, tls, shared}) {
            c.setHost("127.0.0.1");
            c.setIdleTimeout(30_000);
            server.addConnector(c);
        }
        server.setHandler(handler);
        server.setStopTimeout(5000);
        server.start();
    }

    /** With -Dspdy.trace=true every server frame is printed, one line each. */
    private static Consumer<SpdyServerConnectionFactory> trace() {
        if (!Boolean.getBoolean("spdy.trace")) {
            return f -> { };
        }
        return f -> f.setSessionConfig(f.getSessionConfig().toBuilder().frameObserver(
                new io.spdyconnector.protocol.session.FrameObserver() {
                    @Override
                    public void inbound(io.spdyconnector.protocol.frame.Frame frame) {
                        System.err.println(f.getProtocol() + "@" + System.identityHashCode(f) + " << " + frame);
                    }

                    @Override
                    public void outbound(io.spdyconnector.protocol.frame.Frame frame) {
                        System.err.println(f.getProtocol() + "@" + System.identityHashCode(f) + " >> " + frame);
                    }
                }).build());
    }

    static ServletContextHandler context() {
        return new ServletContextHandler("/", ServletContextHandler.SESSIONS);
    }

    String plainUrl(String path) {
        return "http://127.0.0.1:" + plain.getLocalPort() + path;
    }

    String tlsUrl(String path) {
        return "https://localhost:" + tls.getLocalPort() + path;
    }

    String sharedUrl(String path) {
        return "http://127.0.0.1:" + shared.getLocalPort() + path;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
