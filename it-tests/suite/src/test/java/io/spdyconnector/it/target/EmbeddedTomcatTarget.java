package io.spdyconnector.it.target;

import io.spdyconnector.tomcat.SpdyNioProtocol;
import io.spdyconnector.tomcat.SpdyUpgradeProtocol;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardService;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tomcat 11 in the suite's JVM, set up as docs/tomcat.md shows: SPDY/3.1, SPDY/3 and HTTP/1.1 by
 * ALPN on a TLS connector, and SPDY and HTTP/1.1 on one clear-text {@link SpdyNioProtocol}
 * connector that tells them apart by their first byte. The WARs are added with
 * {@link Tomcat#addWebapp}, as an application embedding Tomcat deploys them.
 */
final class EmbeddedTomcatTarget implements Target {
    static final int MAX_CONCURRENT_STREAMS = 256;

    private final Tomcat tomcat;
    private final Connector plain;
    private final Connector tls;
    private final List<SpdyUpgradeProtocol> spdy;

    private EmbeddedTomcatTarget(Tomcat tomcat, Connector plain, Connector tls, List<SpdyUpgradeProtocol> spdy) {
        this.tomcat = tomcat;
        this.plain = plain;
        this.tls = tls;
        this.spdy = spdy;
    }

    static EmbeddedTomcatTarget start(String name, URI origin) throws Exception {
        Path base = Deployables.work(name);
        System.setProperty("proxy.origin", origin.toString());
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        // The JMX domain: several embedded Tomcats may live in the suite's JVM at once.
        tomcat.getEngine().setName(name);
        tomcat.getHost().setAppBase(Files.createDirectories(base.resolve("webapps")).toString());
        // A graceful stop: GOAWAY to every session, then up to 10 s for admitted streams.
        ((StandardService) tomcat.getService()).setGracefulStopAwaitMillis(10_000);

        SpdyUpgradeProtocol tlsSpdy = spdy("spdy/3.1");
        SpdyUpgradeProtocol tlsSpdy3 = spdy("spdy/3");
        Connector tls = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        tls.setSecure(true);
        tls.setScheme("https");
        tls.setProperty("SSLEnabled", "true");
        SSLHostConfig ssl = new SSLHostConfig();
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.RSA);
        certificate.setCertificateKeystoreFile(Deployables.keystore().toString());
        certificate.setCertificateKeystorePassword("changeit");
        certificate.setCertificateKeystoreType("PKCS12");
        ssl.addCertificate(certificate);
        tls.addSslHostConfig(ssl);
        tls.addUpgradeProtocol(tlsSpdy);
        tls.addUpgradeProtocol(tlsSpdy3);

        SpdyUpgradeProtocol plainSpdy = spdy("spdy/3.1");
        Connector plain = new Connector(SpdyNioProtocol.class.getName());
        plain.setProperty("detectHttp11", "true");
        plain.addUpgradeProtocol(plainSpdy);

        for (Connector c : List.of(tls, plain)) {
            c.setPort(0);
            c.setProperty("address", "127.0.0.1");
            // Graceful stop closes the listening socket first.
            c.setProperty("bindOnInit", "false");
            tomcat.getService().addConnector(c);
        }
        tomcat.setConnector(plain);
        for (Context context : List.of(tomcat.addWebapp("/sample", Deployables.sampleWar().toString()),
                tomcat.addWebapp("/proxy", Deployables.proxyWar().toString()))) {
            context.addLifecycleListener(EmbeddedTomcatTarget::withoutJsp);
        }
        tomcat.start();
        return new EmbeddedTomcatTarget(tomcat, plain, tls, List.of(tlsSpdy, tlsSpdy3, plainSpdy));
    }

    /**
     * Tomcat's webapp defaults include the JSP servlet, whose engine (Jasper) the suite does not
     * need: the WARs have no JSPs. Removed after the defaults are applied, before the context starts.
     */
    private static void withoutJsp(LifecycleEvent event) {
        if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
            Context context = (Context) event.getLifecycle();
            Container jsp = context.findChild("jsp");
            if (jsp != null) {
                context.removeChild(jsp);
                context.removeServletMapping("*.jsp");
                context.removeServletMapping("*.jspx");
            }
        }
    }

    private static SpdyUpgradeProtocol spdy(String version) {
        SpdyUpgradeProtocol protocol = new SpdyUpgradeProtocol();
        protocol.setVersion(version);
        protocol.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
        return protocol;
    }

    @Override
    public TargetKind kind() {
        return TargetKind.EMBEDDED_TOMCAT;
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
        return new LocalProbe(() -> spdy.stream().mapToLong(p -> p.getGlobal().getSessionCount()).sum(),
                () -> spdy.stream().mapToLong(p -> p.getGlobal().getActiveStreams()).sum());
    }

    @Override
    public String log() {
        return "(embedded Tomcat logs to the test output)";
    }

    @Override
    public void stop() throws Exception {
        tomcat.stop();
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (Exception ignored) {
            // Closing is best effort; a failed stop leaves nothing a later target depends on.
        }
    }
}
