package io.spdyconnector.tools.serve;

import io.spdyconnector.jetty.SpdyServerConnectionFactory;
import io.spdyconnector.tools.ExitCodes;
import io.spdyconnector.tools.JettyLogging;
import io.spdyconnector.tools.ToolException;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee11.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.BindException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code spdy serve --engine jetty}: the set-up of docs/jetty.md. The plain port puts a detector in
 * front of HTTP/1.1, so SPDY's first bytes make a SPDY session and anything else is HTTP/1.1 (or
 * h2c, by prior knowledge or upgrade). The TLS port offers spdy/3.1, spdy/3, h2 and http/1.1 by
 * ALPN, in that order. A {@link GracefulHandler} lets HTTP/1.1 requests in flight finish on stop,
 * as the SPDY sessions' own graceful shutdown does for streams.
 */
final class JettyEngine implements ServerEngine {
    @Override
    public RunningServer start(ServerSettings settings) throws Exception {
        JettyLogging.configure(settings.verbose());
        Server server = new Server(new QueuedThreadPool(200, 8));
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);

        SpdyServerConnectionFactory plainSpdy = new SpdyServerConnectionFactory(http);
        plainSpdy.setPlainProtocol(settings.plainSpdy());
        ServerConnector plain = new ServerConnector(server, new DetectorConnectionFactory(plainSpdy),
                new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
        plain.setHost(settings.host());
        plain.setPort(settings.plainPort());
        server.addConnector(plain);

        ServerConnector tls = null;
        if (settings.tls()) {
            HttpConfiguration https = new HttpConfiguration(http);
            https.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(settings.keyStore().toString());
            ssl.setKeyStorePassword(settings.keyStorePassword());
            ssl.setKeyStoreType("PKCS12");
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
            alpn.setDefaultProtocol("http/1.1");
            tls = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
                    new SpdyServerConnectionFactory(https), new HTTP2ServerConnectionFactory(https),
                    new HttpConnectionFactory(https));
            tls.setHost(settings.host());
            tls.setPort(settings.tlsPort());
            server.addConnector(tls);
        }

        ContextHandlerCollection contexts = new ContextHandlerCollection();
        int n = 0;
        for (ServerSettings.Webapp webapp : settings.webapps()) {
            contexts.addHandler(webapp(webapp, settings.workDir().resolve("jetty-" + n++)));
        }
        server.setHandler(new GracefulHandler(contexts));
        if (settings.accessLog() != AccessLogFormat.NONE) {
            server.setRequestLog(new CustomRequestLog(line -> println(settings.accessLogOut(), line),
                    settings.accessLog().jettyPattern()));
        }
        server.setStopTimeout(settings.stopTimeout().toMillis());
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    throw new ToolException(ExitCodes.SERVE_FAILED, "cannot listen on " + settings.host() + ": "
                            + e.getMessage(), e);
                }
            }
            throw new ToolException(ExitCodes.SERVE_FAILED, "cannot start Jetty: " + e, e);
        }
        ServerConnector tlsConnector = tls;
        return new StartedServer("Jetty " + Jetty.VERSION, plain::getLocalPort,
                () -> tlsConnector == null ? -1 : tlsConnector.getLocalPort(), server::stop);
    }

    private static Handler webapp(ServerSettings.Webapp webapp, Path tempDir) throws IOException {
        WebAppContext context = new WebAppContext();
        context.setContextPath(webapp.contextPath());
        context.setWar(webapp.location().toString());
        context.setTempDirectory(Files.createDirectories(tempDir).toFile());
        context.setThrowUnavailableOnStartupException(true);
        context.addConfiguration(new AnnotationConfiguration());
        return context;
    }

    private static void println(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
        }
    }
}
