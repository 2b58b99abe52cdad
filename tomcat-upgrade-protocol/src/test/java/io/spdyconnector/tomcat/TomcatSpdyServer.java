package io.spdyconnector.tomcat;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Embedded Tomcat with SPDY on three connectors, each the way {@code docs/tomcat.md} describes:
 * TLS with {@link SpdyUpgradeProtocol} for {@code spdy/3.1}, {@code spdy/3} and {@code spdy/2} by ALPN (and
 * HTTP/1.1 for clients offering neither), {@link SpdyNioProtocol} for plain prior-knowledge SPDY,
 * and {@link SpdyNioProtocol} with {@code detectHttp11} for SPDY and HTTP/1.1 on one port.
 */
final class TomcatSpdyServer implements AutoCloseable {
    final Tomcat tomcat;
    final Connector tls;
    final Connector plain;
    final Connector shared;
    final SpdyUpgradeProtocol tlsSpdy = new SpdyUpgradeProtocol();
    final SpdyUpgradeProtocol tlsSpdy3 = new SpdyUpgradeProtocol();
    final SpdyUpgradeProtocol tlsSpdy2 = new SpdyUpgradeProtocol();
    final SpdyUpgradeProtocol plainSpdy = new SpdyUpgradeProtocol();
    final SpdyUpgradeProtocol sharedSpdy = new SpdyUpgradeProtocol();
    final Context context;
    final Path baseDir;

    /** Which connector a test talks to. */
    enum Transport {
        TLS, PLAIN, SHARED;

        String url(TomcatSpdyServer server, String path) {
            return switch (this) {
                case TLS -> "https://localhost:" + server.tls.getLocalPort() + path;
                case PLAIN -> "http://127.0.0.1:" + server.plain.getLocalPort() + path;
                case SHARED -> "http://127.0.0.1:" + server.shared.getLocalPort() + path;
            };
        }

        int port(TomcatSpdyServer server) {
            return switch (this) {
                case TLS -> server.tls.getLocalPort();
                case PLAIN -> server.plain.getLocalPort();
                case SHARED -> server.shared.getLocalPort();
            };
        }

        boolean secure() {
            return this == TLS;
        }
    }

    TomcatSpdyServer(Consumer<Context> webapp) throws Exception {
        this(webapp, spdy -> { }, connector -> { });
    }

    TomcatSpdyServer(Consumer<Context> webapp, Consumer<SpdyUpgradeProtocol> configureSpdy,
            Consumer<Connector> configureConnector) throws Exception {
        baseDir = Files.createTempDirectory("tomcat-spdy");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        ((org.apache.catalina.core.StandardService) tomcat.getService()).setGracefulStopAwaitMillis(10_000);

        tlsSpdy3.setVersion("spdy/3");
        tlsSpdy2.setVersion("spdy/2");
        for (SpdyUpgradeProtocol p : new SpdyUpgradeProtocol[] {tlsSpdy, tlsSpdy3, tlsSpdy2, plainSpdy, sharedSpdy}) {
            configureSpdy.accept(p);
        }

        tls = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        tls.setSecure(true);
        tls.setScheme("https");
        tls.setProperty("SSLEnabled", "true");
        SSLHostConfig ssl = new SSLHostConfig();
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.RSA);
        certificate.setCertificateKeystoreFile(keystore().toString());
        certificate.setCertificateKeystorePassword("changeit");
        certificate.setCertificateKeystoreType("PKCS12");
        ssl.addCertificate(certificate);
        tls.addSslHostConfig(ssl);
        tls.addUpgradeProtocol(tlsSpdy);
        tls.addUpgradeProtocol(tlsSpdy3);
        tls.addUpgradeProtocol(tlsSpdy2);

        plain = new Connector(SpdyNioProtocol.class.getName());
        plain.addUpgradeProtocol(plainSpdy);

        shared = new Connector(SpdyNioProtocol.class.getName());
        shared.setProperty("detectHttp11", "true");
        shared.addUpgradeProtocol(sharedSpdy);

        for (Connector c : new Connector[] {tls, plain, shared}) {
            c.setPort(0);
            c.setProperty("address", "127.0.0.1");
            // Graceful stop closes the listening socket first and lets connections drain.
            c.setProperty("bindOnInit", "false");
            c.setProperty("allowedTrailerHeaders", "x-checksum,x-digest");
            configureConnector.accept(c);
            tomcat.getService().addConnector(c);
        }
        tomcat.setConnector(plain);

        Path docBase = Files.createDirectories(baseDir.resolve("webapp"));
        context = tomcat.addContext("", docBase.toString());
        webapp.accept(context);
        tomcat.start();
    }

    static Path keystore() {
        try {
            return Paths.get(TomcatSpdyServer.class.getResource("/test-keystore.p12").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SPDY protocol (and its statistics) behind a transport. */
    SpdyUpgradeProtocol spdy(Transport transport) {
        return switch (transport) {
            case TLS -> tlsSpdy;
            case PLAIN -> plainSpdy;
            case SHARED -> sharedSpdy;
        };
    }

    String url(Transport transport, String path) {
        return transport.url(this, path);
    }

    Path docBase() {
        return Paths.get(context.getDocBase());
    }

    void stop() throws LifecycleException {
        tomcat.stop();
    }

    @Override
    public void close() throws Exception {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            deleteTree(baseDir);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
