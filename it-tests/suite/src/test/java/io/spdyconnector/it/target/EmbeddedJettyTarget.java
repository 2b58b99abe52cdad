package io.spdyconnector.it.target;

import io.spdyconnector.jetty.SpdyServerConnectionFactory;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Jetty 12.1 in the suite's JVM, set up as docs/jetty.md shows: SPDY and HTTP/1.1 on one
 * clear-text port (a detector), and SPDY/3.1, SPDY/3 and HTTP/1.1 behind ALPN on a TLS port. The
 * WARs are ee11 {@link WebAppContext}s, exactly as an application embedding Jetty deploys them.
 */
final class EmbeddedJettyTarget implements Target {
    static final int MAX_CONCURRENT_STREAMS = 256;

    private final Server server;
    private final ServerConnector plain;
    private final ServerConnector tls;
    private final List<SpdyServerConnectionFactory> spdy;

    private EmbeddedJettyTarget(Server server, ServerConnector plain, ServerConnector tls,
            List<SpdyServerConnectionFactory> spdy) {
        this.server = server;
        this.plain = plain;
        this.tls = tls;
        this.spdy = spdy;
    }

    static EmbeddedJettyTarget start(String name, URI origin) throws Exception {
        Path work = Deployables.work(name);
        System.setProperty("proxy.origin", origin.toString());
        Server server = new Server(new QueuedThreadPool(256, 8));

        HttpConfiguration httpConfig = new HttpConfiguration();
        SpdyServerConnectionFactory plainSpdy = spdy(httpConfig);
        ServerConnector plain = new ServerConnector(server,
                new DetectorConnectionFactory((ConnectionFactory.Detecting) plainSpdy), new HttpConnectionFactory(httpConfig));

        HttpConfiguration httpsConfig = new HttpConfiguration(httpConfig);
        httpsConfig.addCustomizer(new SecureRequestCustomizer());
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(Deployables.keystore().toString());
        ssl.setKeyStorePassword("changeit");
        ssl.setKeyStoreType("PKCS12");
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol("http/1.1");
        SpdyServerConnectionFactory tlsSpdy = spdy(httpsConfig);
        ServerConnector tls = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
                tlsSpdy, new HttpConnectionFactory(httpsConfig));
        for (ServerConnector c : List.of(plain, tls)) {
            c.setHost("127.0.0.1");
            server.addConnector(c);
        }

        ContextHandlerCollection contexts = new ContextHandlerCollection();
        contexts.addHandler(webApp("/sample", Deployables.sampleWar(), work.resolve("sample")));
        contexts.addHandler(webApp("/proxy", Deployables.proxyWar(), work.resolve("proxy")));
        server.setHandler(contexts);
        // A graceful stop: GOAWAY to every session, then up to 10 s for admitted streams.
        server.setStopTimeout(10_000);
        server.start();
        return new EmbeddedJettyTarget(server, plain, tls, List.of(plainSpdy, tlsSpdy));
    }

    private static SpdyServerConnectionFactory spdy(HttpConfiguration config) {
        SpdyServerConnectionFactory factory = new SpdyServerConnectionFactory(config);
        factory.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
        return factory;
    }

    private static WebAppContext webApp(String contextPath, Path war, Path tempDirectory) {
        WebAppContext webApp = new WebAppContext();
        webApp.setContextPath(contextPath);
        webApp.setWar(war.toString());
        webApp.setTempDirectory(tempDirectory.toFile());
        webApp.setThrowUnavailableOnStartupException(true);
        return webApp;
    }

    @Override
    public TargetKind kind() {
        return TargetKind.EMBEDDED_JETTY;
    }

    @Override
    public URI plainSpdy() {
        return URI.create("http://127.0.0.1:" + plain.getLocalPort());
    }

    @Override
    public URI plainHttp11() {
        return plainSpdy();
    }

    @Override
    public URI tls() {
        return URI.create("https://localhost:" + tls.getLocalPort());
    }

    @Override
    public int maxConcurrentStreams(boolean tls) {
        return MAX_CONCURRENT_STREAMS;
    }

    @Override
    public ServerProbe probe() {
        return new LocalProbe(() -> spdy.stream().mapToLong(f -> f.getSessionContainer().getSessionCount()).sum(),
                () -> spdy.stream().mapToLong(f -> f.getSessionContainer().getStreamCount()).sum());
    }

    @Override
    public String log() {
        return "(embedded Jetty logs to the test output)";
    }

    @Override
    public void stop() throws Exception {
        server.stop();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // Closing is best effort; a failed stop leaves nothing a later target depends on.
        }
    }
}
