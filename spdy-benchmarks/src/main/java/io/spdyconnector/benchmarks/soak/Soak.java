package io.spdyconnector.benchmarks.soak;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The soak run of docs/hardening.md: Jetty and Tomcat side by side in this JVM, well-behaved SPDY
 * clients fetching small and large responses without pause, and abusive clients cycling through
 * every attack of the table, for a given time. Then the load stops and the run checks that heap,
 * native memory, threads, file descriptors and native zlib objects are back to their baseline,
 * and that every well-behaved request succeeded. Exits 1 if not.
 *
 * <pre>java -XX:NativeMemoryTracking=summary -cp spdy-benchmarks/target/benchmarks.jar \
 *     io.spdyconnector.benchmarks.soak.Soak [duration=10m] [well-behaved clients per server=4] [attackers per server=2]</pre>
 */
public final class Soak {
    private static final long HEAP_SLACK = 16 << 20;

    private final List<SoakServer> servers;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requestsOk = new AtomicLong();
    private final List<String> requestFailures = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> attackOutcomes = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private Map<String, Integer> baselineThreads;

    private Soak(List<SoakServer> servers) {
        this.servers = servers;
    }

    public static void main(String[] args) throws Exception {
        Duration duration = parse(args.length > 0 ? args[0] : "10m");
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int attackers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        boolean ok;
        try (SoakServer jetty = SoakServer.jetty(); SoakServer tomcat = SoakServer.tomcat()) {
            ok = new Soak(List.of(jetty, tomcat)).run(duration, clients, attackers);
        }
        System.exit(ok ? 0 : 1);
    }

    private static Duration parse(String s) {
        long n = Long.parseLong(s.replaceAll("\\D", ""));
        return s.endsWith("s") ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
    }

    private boolean run(Duration duration, int clientsPerServer, int attackersPerServer) throws Exception {
        List<SpdyClient> clients = new ArrayList<>();
        for (SoakServer s : servers) {
            for (int i = 0; i < clientsPerServer; i++) {
                clients.add(SpdyClient.builder().build());
            }
        }
        // Warm up: every class loaded, every pool started, one round of every attack.
        for (int i = 0; i < clients.size(); i++) {
            fetch(clients.get(i), servers.get(i / clientsPerServer), i);
        }
        for (SoakServer s : servers) {
            for (Attacks.Attack a : Attacks.all()) {
                Attacks.run(a, s.port());
            }
        }
        attackOutcomes.clear();
        settle();
        ProcessSnapshot before = ProcessSnapshot.take();
        baselineThreads = threadKinds();
        System.out.printf("baseline: heap %s, rss %s, nmt %s, threads %d, fds %d, zlib %d%n",
                ProcessSnapshot.mib(before.heapUsed()), ProcessSnapshot.mib(before.rss()),
                ProcessSnapshot.mib(before.nmtCommitted()), before.threads(), before.fds(), before.zlib());

        for (int i = 0; i < clients.size(); i++) {
            SpdyClient c = clients.get(i);
            SoakServer s = servers.get(i / clientsPerServer);
            int n = i;
            start("well-behaved-" + i, () -> {
                for (int k = 0; running.get(); k++) {
                    fetch(c, s, n + k);
                }
            });
        }
        for (SoakServer s : servers) {
            for (int i = 0; i < attackersPerServer; i++) {
                int offset = i;
                start("attacker-" + i, () -> {
                    List<Attacks.Attack> all = Attacks.all();
                    for (int k = offset; running.get(); k++) {
                        Attacks.Attack a = all.get(k % all.size());
                        String outcome = Attacks.run(a, s.port());
                        boolean expected = a.expectGoAwayError() ? outcome.equals("GOAWAY 1") : !outcome.startsWith("still");
                        attackOutcomes.computeIfAbsent(a.name() + ": " + outcome + (expected ? "" : " (UNEXPECTED)"),
                                x -> new AtomicLong()).incrementAndGet();
                    }
                });
            }
        }
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(30_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            System.out.printf("%s: %d requests ok, %d failed, %d attacks, abuse trips %s%n", Duration.ofNanos(
                    duration.toNanos() - Math.max(0, end - System.nanoTime())).withNanos(0), requestsOk.get(),
                    requestFailures.size(), attackOutcomes.values().stream().mapToLong(AtomicLong::get).sum(),
                    servers.stream().map(s -> s.name() + "=" + s.metrics().abuseTrips()).toList());
        }
        running.set(false);
        for (Thread t : threads) {
            t.join(120_000);
        }
        settle();
        // Idle pool threads (the JDK's common pool keeps its workers 60 s) go in their own time.
        waitFor(90, () -> Thread.activeCount() <= before.threads() + 2);
        ProcessSnapshot after = ProcessSnapshot.take();
        return report(before, after, clients);
    }

    private void start(String name, Runnable body) {
        Thread t = new Thread(body, "soak-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** One small and one 256 KiB response, checked; a failure is recorded, never thrown. */
    private void fetch(SpdyClient client, SoakServer server, int k) {
        String base = "http://127.0.0.1:" + server.port();
        try {
            SpdyResponse small = client.sendAsync(SpdyRequest.get(base + "/small")).get(60, TimeUnit.SECONDS);
            SpdyResponse big = client.sendAsync(SpdyRequest.get(base + "/big?n=" + (262144 + k % 1024)))
                    .get(60, TimeUnit.SECONDS);
            if (small.status() != 200 || !small.bodyAsString().equals("hello, world\n")) {
                requestFailures.add(server.name() + " /small: " + small.status());
            } else if (big.status() != 200 || big.bodyLength() != 262144 + k % 1024) {
                requestFailures.add(server.name() + " /big: " + big.status() + " " + big.bodyLength() + " bytes");
            } else {
                requestsOk.addAndGet(2);
            }
        } catch (Exception e) {
            requestFailures.add(server.name() + ": " + e);
        }
    }

    /** Waits until no servlet is at work and idle pools have shrunk, as far as they will in 30 s. */
    private void settle() throws InterruptedException {
        waitFor(30, () -> servers.stream().allMatch(s -> s.metrics().applicationStreams() == 0));
        Thread.sleep(12_000);
    }

    private static void waitFor(int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Live threads by name, numbers left out: which pools grew. */
    private static Map<String, Integer> threadKinds() {
        Map<String, Integer> kinds = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            kinds.merge(t.getName().replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        return kinds;
    }

    private boolean report(ProcessSnapshot before, ProcessSnapshot after, List<SpdyClient> clients) {
        System.out.println();
        System.out.printf("well-behaved requests: %d ok, %d failed%n", requestsOk.get(), requestFailures.size());
        requestFailures.stream().limit(10).forEach(f -> System.out.println("  failed: " + f));
        System.out.println("attacks (outcome: count):");
        new TreeMap<>(attackOutcomes).forEach((k, v) -> System.out.println("  " + k + ": " + v.get()));
        for (SoakServer s : servers) {
            System.out.printf("%s: sessions %d opened, %d open; abuse trips %d; GOAWAY sent %s; RST sent %s%n", s.name(),
                    s.metrics().sessionsOpened(), s.metrics().sessions(), s.metrics().abuseTrips(),
                    s.metrics().goAwaysSent(), s.metrics().resetsSent());
        }
        boolean heapOk = after.heapUsed() <= before.heapUsed() + HEAP_SLACK;
        boolean fdsOk = after.fds() <= before.fds() + 2;
        boolean threadsOk = after.threads() <= before.threads() + 2;
        boolean zlibOk = after.zlib() <= before.zlib();
        boolean unexpected = attackOutcomes.keySet().stream().anyMatch(k -> k.endsWith("(UNEXPECTED)"));
        System.out.printf("%-14s %12s %12s%n", "", "baseline", "after");
        System.out.printf("%-14s %12s %12s %s%n", "heap", ProcessSnapshot.mib(before.heapUsed()),
                ProcessSnapshot.mib(after.heapUsed()), heapOk ? "ok" : "GREW");
        System.out.printf("%-14s %12s %12s%n", "rss", ProcessSnapshot.mib(before.rss()), ProcessSnapshot.mib(after.rss()));
        System.out.printf("%-14s %12s %12s%n", "native (NMT)", ProcessSnapshot.mib(before.nmtCommitted()),
                ProcessSnapshot.mib(after.nmtCommitted()));
        System.out.printf("%-14s %12d %12d %s%n", "threads", before.threads(), after.threads(), threadsOk ? "ok" : "GREW");
        if (!threadsOk) {
            threadKinds().forEach((kind, n) -> {
                int was = baselineThreads.getOrDefault(kind, 0);
                if (n > was) {
                    System.out.printf("  %s: %d -> %d%n", kind, was, n);
                }
            });
        }
        System.out.printf("%-14s %12d %12d %s%n", "fds", before.fds(), after.fds(), fdsOk ? "ok" : "GREW");
        System.out.printf("%-14s %12d %12d %s%n", "zlib objects", before.zlib(), after.zlib(), zlibOk ? "ok" : "GREW");
        clients.forEach(SpdyClient::close);
        boolean ok = requestFailures.isEmpty() && heapOk && fdsOk && threadsOk && zlibOk && !unexpected;
        System.out.println(ok ? "SOAK OK" : "SOAK FAILED");
        return ok;
    }
}
