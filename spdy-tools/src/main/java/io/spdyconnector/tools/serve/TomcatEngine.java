package io.spdyconnector.tools.serve;

import io.spdyconnector.tomcat.SpdyNioProtocol;
import io.spdyconnector.tomcat.SpdyUpgradeProtocol;
import io.spdyconnector.tools.ExitCodes;
import io.spdyconnector.tools.ToolException;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardService;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.catalina.valves.AccessLogValve;
import org.apache.catalina.valves.JsonAccessLogValve;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.scan.StandardJarScanner;

import java.io.CharArrayWriter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code spdy serve --engine tomcat}: the set-up of docs/tomcat.md. The plain port is a
 * {@link SpdyNioProtocol} detecting HTTP/1.1 (which also takes h2c by prior knowledge); the TLS port
 * is Tomcat's NIO connector with SPDY/3.1, SPDY/3 and h2 as upgrade protocols chosen by ALPN. With
 * {@code bindOnInit=false} and the service's graceful stop wait, stopping closes the ports first
 * and lets in-flight requests finish.
 */
final class TomcatEngine implements ServerEngine {
    /** Held so that the levels set on them stay set (JUL keeps loggers weakly). */
    private static final List<Logger> CONFIGURED_LOGGERS = new ArrayList<>();

    @Override
    public RunningServer start(ServerSettings settings) throws Exception {
        configureLogging(settings.verbose());
        Path base = Files.createDirectories(settings.workDir().resolve("tomcat"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.getHost().setAppBase(Files.createDirectories(base.resolve("webapps")).toString());
        tomcat.setAddDefaultWebXmlToWebapp(false);
        ((StandardService) tomcat.getService()).setGracefulStopAwaitMillis(settings.stopTimeout().toMillis());

        Connector plain = new Connector(SpdyNioProtocol.class.getName());
        plain.setProperty("detectHttp11", "true");
        SpdyUpgradeProtocol plainSpdy = new SpdyUpgradeProtocol();
        plainSpdy.setVersion(settings.plainSpdy());
        plain.addUpgradeProtocol(plainSpdy);
        plain.addUpgradeProtocol(new Http2Protocol());
        configure(plain, settings.host(), settings.plainPort());
        tomcat.getService().addConnector(plain);
        tomcat.setConnector(plain);

        Connector tls = null;
        if (settings.tls()) {
            tls = new Connector("org.apache.coyote.http11.Http11NioProtocol");
            tls.setSecure(true);
            tls.setScheme("https");
            tls.setProperty("SSLEnabled", "true");
            SSLHostConfig ssl = new SSLHostConfig();
            SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl,
                    SSLHostConfigCertificate.Type.UNDEFINED);
            certificate.setCertificateKeystoreFile(settings.keyStore().toString());
            certificate.setCertificateKeystorePassword(settings.keyStorePassword());
            certificate.setCertificateKeystoreType("PKCS12");
            ssl.addCertificate(certificate);
            tls.addSslHostConfig(ssl);
            SpdyUpgradeProtocol spdy3 = new SpdyUpgradeProtocol();
            spdy3.setVersion("spdy/3");
            tls.addUpgradeProtocol(new SpdyUpgradeProtocol());
            tls.addUpgradeProtocol(spdy3);
            tls.addUpgradeProtocol(new Http2Protocol());
            configure(tls, settings.host(), settings.tlsPort());
            tomcat.getService().addConnector(tls);
        }

        List<Context> contexts = new ArrayList<>();
        for (ServerSettings.Webapp webapp : settings.webapps()) {
            contexts.add(webapp(tomcat, webapp));
        }
        if (settings.accessLog() != AccessLogFormat.NONE) {
            tomcat.getHost().getPipeline().addValve(accessLog(settings.accessLog(), settings.accessLogOut()));
        }
        try {
            tomcat.start();
        } catch (Exception e) {
            stopQuietly(tomcat);
            throw new ToolException(ExitCodes.SERVE_FAILED, "cannot start Tomcat: " + e.getMessage(), e);
        }
        for (Connector c : tomcat.getService().findConnectors()) {
            if (c.getState() != LifecycleState.STARTED || c.getLocalPort() <= 0) {
                stopQuietly(tomcat);
                throw new ToolException(ExitCodes.SERVE_FAILED, "cannot listen on " + settings.host() + ":"
                        + c.getPort() + " (in use?)");
            }
        }
        for (Context c : contexts) {
            if (c.getState() != LifecycleState.STARTED) {
                stopQuietly(tomcat);
                throw new ToolException(ExitCodes.SERVE_FAILED, "webapp " + c.getDocBase() + " failed to deploy at "
                        + (c.getPath().isEmpty() ? "/" : c.getPath()) + " (see Tomcat's messages above)");
            }
        }
        Connector tlsConnector = tls;
        return new StartedServer(ServerInfo.getServerInfo(), plain::getLocalPort,
                () -> tlsConnector == null ? -1 : tlsConnector.getLocalPort(), () -> {
                    tomcat.stop();
                    tomcat.destroy();
                });
    }

    private static void configure(Connector connector, String host, int port) {
        connector.setPort(port);
        connector.setProperty("address", host);
        // Graceful stop closes the listening socket first, then lets connections drain.
        connector.setProperty("bindOnInit", "false");
    }

    private static Context webapp(Tomcat tomcat, ServerSettings.Webapp webapp) {
        String path = webapp.contextPath().equals("/") ? "" : webapp.contextPath();
        ContextConfig config = new ContextConfig();
        config.setDefaultWebXml(tomcat.noDefaultWebXmlPath());
        Context context = tomcat.addWebapp(tomcat.getHost(), path, webapp.location().toString(), config);
        // Tomcat's defaults for a webapp without its JSP servlet: the jar carries no JSP compiler.
        context.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                webappDefaults((Context) event.getLifecycle());
            }
        });
        StandardJarScanner scanner = new StandardJarScanner();
        // The class path is this tool's own jar: nothing in it is meant for the webapp.
        scanner.setScanClassPath(false);
        context.setJarScanner(scanner);
        return context;
    }

    private static void webappDefaults(Context context) {
        org.apache.catalina.Wrapper servlet = Tomcat.addServlet(context, "default",
                "org.apache.catalina.servlets.DefaultServlet");
        servlet.setLoadOnStartup(1);
        servlet.setOverridable(true);
        context.addServletMapping("/", "default");
        context.setSessionTimeout(30);
        Tomcat.addDefaultMimeTypeMappings(context);
        context.addWelcomeFile("index.html");
        context.addWelcomeFile("index.htm");
        if (context instanceof org.apache.catalina.core.StandardContext) {
            ((org.apache.catalina.core.StandardContext) context).setReplaceWelcomeFiles(true);
        }
    }

    private static AccessLogValve accessLog(AccessLogFormat format, PrintStream out) {
        AccessLogValve valve = format == AccessLogFormat.JSON ? new JsonToStream(out) : new TextToStream(out);
        valve.setPattern(format.tomcatPattern());
        return valve;
    }

    private static void print(PrintStream out, CharArrayWriter message) {
        synchronized (out) {
            out.println(message.toString());
        }
    }

    /** Tomcat logs through java.util.logging: WARNING and above, or INFO with --verbose. */
    private static void configureLogging(boolean verbose) {
        Level level = verbose ? Level.INFO : Level.WARNING;
        synchronized (CONFIGURED_LOGGERS) {
            for (String name : new String[] {"org.apache.catalina", "org.apache.coyote", "org.apache.tomcat",
                    "org.apache.jasper", "io.spdyconnector.tomcat"}) {
                Logger logger = Logger.getLogger(name);
                logger.setLevel(level);
                CONFIGURED_LOGGERS.add(logger);
            }
        }
    }

    private static void stopQuietly(Tomcat tomcat) {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (Exception ignored) {
            // Already failing; the first error is the one reported.
        }
    }

    /** Tomcat's access log valve, writing its lines to the tool's output instead of a file. */
    private static final class TextToStream extends AccessLogValve {
        private final PrintStream out;

        TextToStream(PrintStream out) {
            this.out = out;
        }

        @Override
        protected synchronized void open() {
            // No file: lines go to the stream.
        }

        @Override
        public void log(CharArrayWriter message) {
            print(out, message);
        }
    }

    /** Tomcat's JSON access log valve, writing its lines to the tool's output instead of a file. */
    private static final class JsonToStream extends JsonAccessLogValve {
        private final PrintStream out;

        JsonToStream(PrintStream out) {
            this.out = out;
        }

        @Override
        protected synchronized void open() {
            // No file: lines go to the stream.
        }

        @Override
        public void log(CharArrayWriter message) {
            print(out, message);
        }
    }
}
