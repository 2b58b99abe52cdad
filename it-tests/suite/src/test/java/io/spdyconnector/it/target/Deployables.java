package io.spdyconnector.it.target;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the build hands the suite (see the failsafe configuration in the pom): both distributions
 * unpacked from Maven Central, the two WARs, the Jetty overlay and the jars for Tomcat's lib/. A
 * missing one fails the suite, never skips it.
 */
public final class Deployables {
    private Deployables() {
    }

    public static Path sampleWar() {
        return file(distributions().resolve("webapps/sample.war"));
    }

    public static Path proxyWar() {
        return file(distributions().resolve("webapps/proxy.war"));
    }

    public static Path jettyHome() {
        return file(distributions().resolve("jetty-home-" + property("it.jettyVersion")).resolve("start.jar")).getParent();
    }

    public static Path jettyBaseOverlay() {
        return file(distributions().resolve("jetty-base-overlay.zip"));
    }

    public static Path tomcatHome() {
        return file(distributions().resolve("apache-tomcat-" + property("it.tomcatVersion")).resolve("bin/catalina.sh"))
                .getParent().getParent();
    }

    /** The connector's jars, as an operator copies them into {@code $CATALINA_BASE/lib}. */
    public static Path tomcatLib() {
        return directory(distributions().resolve("tomcat-lib"));
    }

    /** The documented {@code docs/tomcat-server.xml}, which the standalone Tomcat runs unchanged. */
    public static Path documentedServerXml() {
        return file(Path.of(property("it.docs")).resolve("tomcat-server.xml"));
    }

    /** A fresh directory for one target's files, under {@code target/it-work}. */
    public static Path work(String name) throws IOException {
        Path dir = Path.of(property("it.work")).toAbsolutePath().resolve(name);
        deleteTree(dir);
        return Files.createDirectories(dir);
    }

    /** The self-signed certificate for {@code localhost} and 127.0.0.1 (password changeit), as a file. */
    public static synchronized Path keystore() {
        Path file = Path.of(property("it.work")).toAbsolutePath().resolve("test-keystore.p12");
        if (!Files.isRegularFile(file)) {
            try (InputStream in = Deployables.class.getResourceAsStream("/test-keystore.p12")) {
                if (in == null) {
                    throw new IllegalStateException("no /test-keystore.p12 on the class path (spdy-protocol's test-jar)");
                }
                Files.createDirectories(file.getParent());
                Files.copy(in, file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static Path distributions() {
        return Path.of(property("it.distributions")).toAbsolutePath();
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name
                    + " is not set: run the suite with mvn verify, whose failsafe configuration sets it");
        }
        return value;
    }

    private static Path file(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("missing " + path + " (the build puts it there before integration-test)");
        }
        return path;
    }

    private static Path directory(Path path) {
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("missing directory " + path + " (the build fills it before integration-test)");
        }
        return path;
    }
}
