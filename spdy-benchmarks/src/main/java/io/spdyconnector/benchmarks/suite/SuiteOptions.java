package io.spdyconnector.benchmarks.suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The suite's command line: which measures on which containers, and how big and long each is. The
 * defaults are the full run (about a quarter of an hour on two cores); a smoke run shrinks every size.
 */
final class SuiteOptions {
    Path out = Path.of("docs/performance");
    Set<String> measures = new LinkedHashSet<>(List.of("P1", "P2", "P3", "P4", "P5", "P6", "P7"));
    List<String> containers = List.of("jetty", "tomcat");
    double warmupSeconds = 10;
    double seconds = 3;
    int rounds = 10;
    int sessions = 4;
    int streams = 64;
    long downloadBytes = 1L << 30;
    int downloadRounds = 7;
    int idleConnections = 1000;
    int manySessions = 10_000;
    int streamSessions = 100;
    int streamsPerSession = 500;
    int latencyRequests = 2000;
    double jmhSeconds = 1;
    int jmhIterations = 5;
    int jmhForks = 1;
    String serverHeap = "3g";
    List<String> serverJvmArgs = new ArrayList<>();
    boolean pin = true;
    boolean h2load = true;

    static final String USAGE = String.join("\n",
            "java -cp spdy-benchmarks/target/benchmarks.jar io.spdyconnector.benchmarks.suite.PerformanceSuite [options]",
            "  --out DIR                results.md and charts (default docs/performance)",
            "  --measures P1,P2,...     measures to run (default all: P1..P7)",
            "  --containers jetty,tomcat",
            "  --warmup S --seconds S --rounds N     P1/P2: warm-up, length and number of runs per protocol (10, 3, 10)",
            "  --sessions N --streams N  P1/P2 load shape (4 x 64)",
            "  --download BYTES --download-rounds N   P3 (1g, 7); sizes take k, m, g",
            "  --idle N                 P4 idle connections per protocol (1000)",
            "  --many-sessions N        P5 idle sessions (10000)",
            "  --stream-sessions N --streams-per-session N   P5 open streams (100 x 500)",
            "  --latency-requests N     P6 small requests per case (2000)",
            "  --jmh-seconds S --jmh-iterations N --jmh-forks N   P7 (1, 5, 1)",
            "  --server-heap SIZE       the server JVM's -Xms and -Xmx (3g)",
            "  --server-jvm-arg ARG     one more server JVM argument; may be repeated",
            "  --no-pin                 do not pin server and load generator to different CPUs",
            "  --no-h2load              do not run h2load even where it is installed");

    static SuiteOptions parse(String... args) {
        SuiteOptions o = new SuiteOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--no-pin")) {
                o.pin = false;
                continue;
            }
            if (a.equals("--no-h2load")) {
                o.h2load = false;
                continue;
            }
            if (a.equals("--help") || a.equals("-h") || i + 1 >= args.length) {
                throw new IllegalArgumentException(USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--out" -> o.out = Path.of(v);
                case "--measures" -> o.measures = new LinkedHashSet<>(Arrays.asList(v.toUpperCase(Locale.ROOT).split(",")));
                case "--containers" -> o.containers = Arrays.asList(v.toLowerCase(Locale.ROOT).split(","));
                case "--warmup" -> o.warmupSeconds = Double.parseDouble(v);
                case "--seconds" -> o.seconds = Double.parseDouble(v);
                case "--rounds" -> o.rounds = Integer.parseInt(v);
                case "--sessions" -> o.sessions = Integer.parseInt(v);
                case "--streams" -> o.streams = Integer.parseInt(v);
                case "--download" -> o.downloadBytes = size(v);
                case "--download-rounds" -> o.downloadRounds = Integer.parseInt(v);
                case "--idle" -> o.idleConnections = Integer.parseInt(v);
                case "--many-sessions" -> o.manySessions = Integer.parseInt(v);
                case "--stream-sessions" -> o.streamSessions = Integer.parseInt(v);
                case "--streams-per-session" -> o.streamsPerSession = Integer.parseInt(v);
                case "--latency-requests" -> o.latencyRequests = Integer.parseInt(v);
                case "--jmh-seconds" -> o.jmhSeconds = Double.parseDouble(v);
                case "--jmh-iterations" -> o.jmhIterations = Integer.parseInt(v);
                case "--jmh-forks" -> o.jmhForks = Integer.parseInt(v);
                case "--server-heap" -> o.serverHeap = v;
                case "--server-jvm-arg" -> o.serverJvmArgs.add(v);
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        for (String c : o.containers) {
            if (!c.equals("jetty") && !c.equals("tomcat")) {
                throw new IllegalArgumentException("unknown container " + c);
            }
        }
        return o;
    }

    static long size(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        long unit = s.endsWith("g") ? 1L << 30 : s.endsWith("m") ? 1L << 20 : s.endsWith("k") ? 1L << 10 : 1;
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }

    /** The streams each session must allow: the P1 load or the P5 streams, whichever is more. */
    int maxStreamsPerSession() {
        return Math.max(1000, Math.max(streams, streamsPerSession) + 100);
    }
}
