package io.spdyconnector.benchmarks.suite;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The performance suite of issue 6: for each container and each group of measures, a fresh server
 * JVM with SPDY, h2c and HTTP/1.1 connectors on the same servlets, each measure run against them
 * side by side, so each result is a ratio taken in one run on one machine. Writes {@code results.md} and PNG charts.
 *
 * <pre>java -cp spdy-benchmarks/target/benchmarks.jar io.spdyconnector.benchmarks.suite.PerformanceSuite [options]</pre>
 *
 * <p>On a machine with two or more CPUs and {@code taskset}, the server runs on CPU 0 and this JVM
 * (the load generator and the raw connections) on CPU 1, the same for every protocol. See
 * {@link SuiteOptions#USAGE} for the options.
 */
public final class PerformanceSuite {
    private static final int SERVER_CPU = 0;
    private static final int CLIENT_CPU = 1;

    private PerformanceSuite() {
    }

    public static void main(String[] args) throws Exception {
        SuiteOptions o;
        try {
            o = SuiteOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Results results = run(o, String.join(" ", args));
        System.out.println("wrote " + o.out.resolve("results.md") + " (" + results.rows.size() + " rows)");
        System.exit(0);
    }

    /** Runs the measures asked for and writes the report; returns what was measured. */
    static Results run(SuiteOptions o, String arguments) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        boolean pin = o.pin && Runtime.getRuntime().availableProcessors() >= 2 && pinSelf(CLIENT_CPU);
        Results results = new Results();
        Path docs = Files.createTempDirectory("spdy-suite-docs");
        try {
            sparseFile(docs.resolve("download.bin"), o.downloadBytes);
            // What Tomcat's catalina.sh opens, so that stopping a context does not warn.
            List<String> jvm = new ArrayList<>(List.of("-Xms" + o.serverHeap, "-Xmx" + o.serverHeap,
                    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED"));
            jvm.addAll(o.serverJvmArgs);
            for (String engine : o.containers) {
                String container = engine.equals("jetty") ? "Jetty 12.1.12" : "Tomcat 11.0.25";
                ServerStarter servers = new ServerStarter(o, engine, container, docs, pin, jvm);
                // Each group of measures (and each kind of P4's idle connection) gets a server of its
                // own: P5 leaves gigabytes of old
                // generation behind, which would make every later measure pay for its collections.
                if (o.measures.contains("P4")) {
                    Map<RawConnection.Kind, MemoryMeasures.PerConnection> idle =
                            new EnumMap<>(RawConnection.Kind.class);
                    for (RawConnection.Kind kind : RawConnection.Kind.values()) {
                        servers.run("P4 idle connections, " + kind.label,
                                server -> idle.put(kind, new MemoryMeasures(server, container, o, results).idle(kind)));
                    }
                    MemoryMeasures.reportIdle(container, o, results, idle);
                }
                if (o.measures.contains("P5")) {
                    servers.run("P5 scale", server -> new MemoryMeasures(server, container, o, results).scale());
                }
                if (o.measures.contains("P1") || o.measures.contains("P2")) {
                    servers.run("P1, P2 small requests",
                            server -> new LoadMeasures(server, container, o, results).smallRequests());
                }
                if (o.measures.contains("P3")) {
                    servers.run("P3 downloads", server -> {
                        // Read once before any download, so that none pays for filling the page cache.
                        readThrough(docs.resolve("download.bin"));
                        new LoadMeasures(server, container, o, results).downloads("download.bin");
                    });
                }
                if (o.measures.contains("P6")) {
                    servers.run("P6 latency beside a download",
                            server -> new LoadMeasures(server, container, o, results).latency());
                }
            }
            if (o.measures.contains("P7")) {
                progress("P7 header blocks (JMH)");
                HeaderMeasure.run(o, results);
            }
        } finally {
            try (Stream<Path> files = Files.walk(docs)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        results.rows.sort(Comparator.comparing(Results.Row::measure));
        Report.write(results, o.out, machine(cores, pin), "java -cp spdy-benchmarks/target/benchmarks.jar "
                + PerformanceSuite.class.getName() + (arguments.isEmpty() ? "" : " " + arguments));
        return results;
    }

    private static void progress(String what) {
        System.err.println("suite: " + what);
    }

    /** Pins every thread of this JVM to {@code cpu}; new threads inherit it. */
    private static boolean pinSelf(int cpu) {
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", String.valueOf(cpu),
                    String.valueOf(ProcessHandle.current().pid())).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** A file of {@code size} zero bytes that takes no disk space: reads come from no device. */
    private static void sparseFile(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    private interface Measure {
        void run(ServerProcess server) throws Exception;
    }

    /** Starts a fresh server JVM of one container for each group of measures. */
    private record ServerStarter(SuiteOptions o, String engine, String container, Path docs, boolean pin,
            List<String> jvm) {
        void run(String what, Measure measure) throws Exception {
            try (ServerProcess server = ServerProcess.start(engine, docs, o.maxStreamsPerSession(),
                    pin ? SERVER_CPU : -1, jvm)) {
                progress(container + ": " + what);
                measure.run(server);
            }
        }
    }

    private static void readThrough(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file)) {
            while (channel.read(buffer.clear()) >= 0) {
                // Only the page cache is wanted.
            }
        }
    }

    private static String machine(int cores, boolean pinned) {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // Not Linux.
        }
        var rt = ManagementFactory.getRuntimeMXBean();
        return "Measured on " + LocalDate.now() + ": " + cores + " CPUs (" + cpu + "), "
                + rt.getVmName() + " " + rt.getVmVersion() + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ". " + (pinned
                ? "Server JVM pinned to CPU " + SERVER_CPU + ", load generator to CPU " + CLIENT_CPU + " (taskset)."
                : "Server and load generator not pinned.")
                + " The machine was shared with other builds, so absolute figures are noisy: compare the ratios,"
                + " each measured side by side in this one run.";
    }
}
