package io.spdyconnector.it.target;

import io.spdyconnector.protocol.testing.LogExcerpt;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Tomcat 11 distribution as a separate process, installed the way docs/tomcat.md tells an
 * operator to: a {@code $CATALINA_BASE} with the connector's jars in {@code lib/}, the documented
 * {@code docs/tomcat-server.xml} as {@code conf/server.xml} (its ports and shutdown port come from
 * the system properties it names), the test certificate where that file expects one, and the WARs
 * in {@code webapps/}. Started with {@code bin/catalina.sh run}, stopped with SIGTERM.
 */
final class StandaloneTomcatTarget implements Target {
    /** What docs/tomcat-server.xml gives its TLS connector's SPDY and its plain SPDY connector. */
    static final int TLS_MAX_CONCURRENT_STREAMS = 100;
    static final int PLAIN_MAX_CONCURRENT_STREAMS = 50;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path console;
    private final int tlsPort;
    private final int plainPort;
    private final int sharedPort;
    private AttachedProbe probe;

    private StandaloneTomcatTarget(Process process, Path console, int tlsPort, int plainPort, int sharedPort) {
        this.process = process;
        this.console = console;
        this.tlsPort = tlsPort;
        this.plainPort = plainPort;
        this.sharedPort = sharedPort;
    }

    static StandaloneTomcatTarget start(String name, URI origin) throws Exception {
        Path home = Deployables.tomcatHome();
        Path base = Deployables.work(name);
        copyTree(home.resolve("conf"), base.resolve("conf"));
        Files.copy(Deployables.documentedServerXml(), base.resolve("conf/server.xml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Deployables.keystore(), base.resolve("conf/localhost-rsa.p12"));
        copyTree(Deployables.tomcatLib(), base.resolve("lib"));
        Files.createDirectories(base.resolve("webapps"));
        Files.copy(Deployables.sampleWar(), base.resolve("webapps/sample.war"));
        Files.copy(Deployables.proxyWar(), base.resolve("webapps/proxy.war"));
        for (String dir : List.of("logs", "temp", "work")) {
            Files.createDirectories(base.resolve(dir));
        }

        int[] ports = freePorts(3);
        List<String> options = List.of("-Xmx512m", "-Dspdy.shutdown.port=-1", "-Dspdy.tls.port=" + ports[0],
                "-Dspdy.plain.port=" + ports[1], "-Dspdy.shared.port=" + ports[2], "-Dproxy.origin=" + origin);
        Path console = base.resolve("logs/console.log");
        ProcessBuilder builder = new ProcessBuilder("sh", home.resolve("bin/catalina.sh").toString(), "run")
                .directory(base.toFile()).redirectErrorStream(true).redirectOutput(console.toFile());
        Map<String, String> env = builder.environment();
        env.put("CATALINA_HOME", home.toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("CATALINA_OPTS", String.join(" ", options));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("JRE_HOME");
        Process process = builder.start();
        // Should the suite's JVM end without its clean-up, Tomcat ends with it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-tomcat-" + process.pid()));
        StandaloneTomcatTarget target = new StandaloneTomcatTarget(process, console, ports[0], ports[1], ports[2]);
        try {
            target.awaitStarted();
            return target;
        } catch (Exception | Error e) {
            target.close();
            throw e;
        }
    }

    /** Waits for "Server startup" and fails with the log if a WAR did not deploy or Tomcat died. */
    private void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!log().contains("Server startup in")) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Tomcat exited with " + process.exitValue() + " before it started" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Tomcat did not start within " + START_TIMEOUT.toSeconds() + " s" + log());
            }
            Thread.sleep(100);
        }
        String text = log();
        for (String war : List.of("sample.war", "proxy.war")) {
            if (!text.contains(war + "] has finished")) {
                throw new IllegalStateException("Tomcat started without deploying " + war + text);
            }
        }
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Override
    public TargetKind kind() {
        return TargetKind.STANDALONE_TOMCAT;
    }

    /** The connector that speaks nothing but SPDY (docs/tomcat-server.xml's second connector). */
    @Override
    public URI plainSpdy() {
        return URI.create("http://127.0.0.1:" + plainPort);
    }

    /** The connector shared by SPDY and HTTP/1.1 (the third). */
    @Override
    public URI plainHttp11() {
        return URI.create("http://127.0.0.1:" + sharedPort);
    }

    @Override
    public URI tls() {
        return URI.create("https://localhost:" + tlsPort);
    }

    @Override
    public int maxConcurrentStreams(boolean tls) {
        return tls ? TLS_MAX_CONCURRENT_STREAMS : PLAIN_MAX_CONCURRENT_STREAMS;
    }

    @Override
    public synchronized ServerProbe probe() {
        if (probe == null) {
            try {
                probe = AttachedProbe.tomcat(process.pid());
            } catch (Exception e) {
                throw new IllegalStateException("cannot attach to Tomcat's JVM " + process.pid(), e);
            }
        }
        return probe;
    }

    /** The end of Tomcat's console output (every log record goes there too), framed for a failure message. */
    @Override
    public String log() {
        return LogExcerpt.of("Tomcat", console);
    }

    /** SIGTERM, as a service manager stops Tomcat: Catalina's shutdown hook stops it gracefully. */
    @Override
    public void stop() throws Exception {
        closeProbe();
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Tomcat did not stop within " + STOP_TIMEOUT.toSeconds() + " s" + log());
        }
    }

    private synchronized void closeProbe() {
        if (probe != null) {
            probe.close();
            probe = null;
        }
    }

    @Override
    public void close() {
        closeProbe();
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
