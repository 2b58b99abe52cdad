package io.spdyconnector.jetty.docs;

import io.spdyconnector.jetty.SpdyServerConnectionFactory;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The embedded-Jetty example of docs/jetty.md, compiled and run by {@link EmbeddedSpdyServerTest}. */
final class EmbeddedSpdyServer {
    private EmbeddedSpdyServer() {
    }

    // tag::embedded[]
    static Server spdyServer(Handler handler, String keyStorePath, int plainPort, int tlsPort, int sharedPort) {
        Server server = new Server();
        HttpConfiguration httpConfig = new HttpConfiguration();

        // 1. Clear-text SPDY only (prior knowledge): spdy/3.1, or spdy/3 with setPlainProtocol("spdy/3").
        SpdyServerConnectionFactory plainSpdy = new SpdyServerConnectionFactory(httpConfig);
        plainSpdy.setMaxConcurrentStreams(100);
        ServerConnector plain = new ServerConnector(server, plainSpdy);
        plain.setPort(plainPort);

        // 2. TLS: ALPN selects spdy/3.1, spdy/3 or http/1.1, in the connector's order.
        HttpConfiguration httpsConfig = new HttpConfiguration(httpConfig);
        httpsConfig.addCustomizer(new SecureRequestCustomizer());
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keyStorePath);
        ssl.setKeyStorePassword("changeit");
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(); // no list: the connector's order
        alpn.setDefaultProtocol("http/1.1");                                  // for clients without ALPN
        ServerConnector tls = new ServerConnector(server,
                new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
                new SpdyServerConnectionFactory(httpsConfig), new HttpConnectionFactory(httpsConfig));
        tls.setPort(tlsPort);

        // 3. One clear-text port for SPDY and HTTP/1.1: the detector recognises SPDY's first bytes (80 03).
        ServerConnector shared = new ServerConnector(server,
                new DetectorConnectionFactory(new SpdyServerConnectionFactory(httpConfig)),
                new HttpConnectionFactory(httpConfig));
        shared.setPort(sharedPort);

        server.setConnectors(new Connector[] {plain, tls, shared});
        server.setHandler(handler); // e.g. a ServletContextHandler or a WebAppContext
        return server;
    }
    // end::embedded[]
}
