package io.spdyconnector.benchmarks.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * P4 (retained memory of an idle connection after one request) and P5 (many idle sessions; many
 * open streams), measured in the server's JVM after forced garbage collection while this JVM holds
 * the connections open with {@link RawConnection}s. Memory is heap, plus direct buffers, plus the
 * native zlib streams the engine has live (counted, at about 39 KiB each); the resident set size
 * is reported beside it, but moves in pages and with the JIT, so it is a cross-check only.
 */
final class MemoryMeasures {
    private final ServerProcess server;
    private final String container;
    private final SuiteOptions o;
    private final Results results;

    MemoryMeasures(ServerProcess server, String container, SuiteOptions o, Results results) {
        this.server = server;
        this.container = container;
        this.o = o;
        this.results = results;
    }

    /** Per-connection growth between two memory readings. */
    record PerConnection(double heap, double direct, double zlib, double rss) {
        static PerConnection of(ServerProcess.Memory before, ServerProcess.Memory after, int n) {
            return new PerConnection((after.heap() - before.heap()) / (double) n,
                    (after.direct() - before.direct()) / (double) n,
                    (after.nativeZlib() - before.nativeZlib()) / (double) n, (after.rss() - before.rss()) / (double) n);
        }

        double total() {
            return heap + direct + zlib;
        }

        List<String> cells(String label) {
            return List.of(label, Results.bytes(total()), Results.bytes(heap), Results.bytes(direct),
                    Results.bytes(zlib), Results.bytes(rss));
        }
    }

    private int port(RawConnection.Kind kind) {
        return switch (kind) {
            case H2C -> server.h2cPort;
            case HTTP1 -> server.http1Port;
            default -> server.spdyPort;
        };
    }

    /** Opens {@code n} connections, each with one request answered; failures are counted, not thrown. */
    private List<RawConnection> openIdle(RawConnection.Kind kind, int n, int[] errors) {
        return open(kind, n, errors, false);
    }

    private List<RawConnection> open(RawConnection.Kind kind, int n, int[] errors, boolean moreRequests) {
        List<RawConnection> open = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try {
                RawConnection c = RawConnection.open(kind, port(kind));
                open.add(c);
                c.roundTrip("/small");
                if (!moreRequests && c instanceof RawConnection.Spdy s) {
                    s.endCompression();
                }
            } catch (IOException e) {
                errors[0]++;
            }
        }
        return open;
    }

    /**
     * Closes the connections and waits until the server has let go of them: until two readings of
     * its heap after GC agree within 64 bytes per closed connection. Otherwise the next reading's
     * baseline would still hold these connections and the next kind would look cheaper than it is.
     */
    private void closeAll(List<RawConnection> connections) throws InterruptedException, IOException {
        for (RawConnection c : connections) {
            c.close();
        }
        Thread.sleep(500);
        long tolerance = 64L * Math.max(1, connections.size());
        long previous = server.memory().heap();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(500);
            long heap = server.memory().heap();
            if (Math.abs(heap - previous) <= tolerance) {
                return;
            }
            previous = heap;
        }
    }

    /**
     * P4 for one kind of connection: N idle connections, each after one request. Call it on a
     * server of its own per kind: the connections a kind closes leave buffers in the container's
     * pools (Jetty's buffer pool, Tomcat's cache of channels), which the next kind's connections
     * would take instead of allocating, and so look cheaper than they are, even below zero.
     */
    PerConnection idle(RawConnection.Kind kind) throws Exception {
        int n = o.idleConnections;
        // First connections load classes and fill pools: not what a connection costs.
        int[] warmUpErrors = {0};
        closeAll(openIdle(kind, Math.min(n, 50), warmUpErrors));
        ServerProcess.Memory before = server.memory();
        int[] errors = {0};
        List<RawConnection> open = openIdle(kind, n, errors);
        Thread.sleep(500);
        ServerProcess.Memory after = server.memory();
        closeAll(open);
        if (errors[0] > 0) {
            throw new IOException(kind.label + ": " + errors[0] + " of " + n + " idle connections failed");
        }
        return PerConnection.of(before, after, n);
    }

    /** P4's rows, table and chart from {@link #idle} of every kind. */
    static void reportIdle(String container, SuiteOptions o, Results results,
            Map<RawConnection.Kind, PerConnection> per) {
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("connection", "total", "heap", "direct buffers", "zlib native", "RSS (cross-check)"));
        for (Map.Entry<RawConnection.Kind, PerConnection> e : per.entrySet()) {
            table.add(e.getValue().cells(e.getKey().label));
            results.bar("p4-idle-memory.png", "P4: retained memory per idle connection", "KiB", container,
                    e.getKey().label, e.getValue().total() / 1024);
        }
        results.detail("P4: idle connections", container + ", " + o.idleConnections + " connections of each kind, "
                + "each kind on a fresh server, each connection after one small GET, per connection", table);
        double spdy11 = per.get(RawConnection.Kind.SPDY_BITS_11).total();
        double spdy15 = per.get(RawConnection.Kind.SPDY_BITS_15).total();
        double h2c = per.get(RawConnection.Kind.H2C).total();
        double h1 = per.get(RawConnection.Kind.HTTP1).total();
        if (container.startsWith("Jetty")) {
            results.row("P4", container, "idle session, peer window bits 11, vs h2c", Results.bytes(spdy11),
                    Results.bytes(h2c) + " h2c", spdy11 / h2c, "≤ 16 KiB", spdy11 <= 16 * 1024);
        } else {
            results.row("P4", container, "idle session, peer window bits 11, vs HTTP/1.1", Results.bytes(spdy11),
                    Results.bytes(h1) + " h1, " + Results.bytes(h2c) + " h2c", spdy11 / h1, "≤ h1 + 8 KiB",
                    spdy11 <= h1 + 8 * 1024);
        }
        results.row("P4", container, "idle session, peer window bits 15, vs bits 11", Results.bytes(spdy15),
                Results.bytes(spdy11) + " bits 11", spdy15 / spdy11, "≤ bits 11 + 32 KiB", spdy15 <= spdy11 + 32 * 1024);
    }

    /** P5: many idle SPDY sessions, all answering a PING at the end; then many open streams, SPDY and h2c. */
    void scale() throws Exception {
        int n = o.manySessions;
        long fdLimit = openFileLimit();
        if (fdLimit > 0 && n + 500 > fdLimit) {
            results.note("P5 (" + container + "): the open file limit (" + fdLimit + ") allows only " + (fdLimit - 500)
                    + " of the " + n + " sessions asked for.");
            n = (int) (fdLimit - 500);
        }
        ServerProcess.Memory before = server.memory();
        int[] errors = {0};
        long start = System.nanoTime();
        List<RawConnection> open = openIdle(RawConnection.Kind.SPDY_BITS_11, n, errors);
        double openSeconds = (System.nanoTime() - start) / 1e9;
        ServerProcess.Memory after = server.memory();
        int alive = 0;
        for (RawConnection c : open) {
            try {
                c.ping();
                alive++;
            } catch (IOException e) {
                errors[0]++;
            }
        }
        closeAll(open);
        PerConnection per = PerConnection.of(before, after, n);
        List<List<String>> idle = new ArrayList<>();
        idle.add(List.of("sessions", "answering a PING at the end", "errors", "opened in", "memory per session",
                "heap", "zlib native"));
        idle.add(List.of(String.valueOf(n), String.valueOf(alive), String.valueOf(errors[0]),
                Results.fmt(openSeconds) + " s", Results.bytes(per.total()), Results.bytes(per.heap),
                Results.bytes(per.zlib)));
        results.detail("P5: scale", container + ", idle SPDY sessions (peer window bits 11), each after one small GET",
                idle);
        results.row("P5", container, n + " concurrent idle sessions", alive + " held", n + " opened", Double.NaN,
                "all held, no errors", alive == n && errors[0] == 0);

        int sessions = o.streamSessions;
        int perSession = o.streamsPerSession;
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("protocol", "streams held open", "completed after release", "errors",
                "memory per open stream", "heap", "direct buffers"));
        double[] perStream = new double[2];
        boolean[] clean = new boolean[2];
        RawConnection.Kind[] kinds = {RawConnection.Kind.SPDY_BITS_11, RawConnection.Kind.H2C};
        for (int k = 0; k < 2; k++) {
            int[] errs = {0};
            List<RawConnection> conns = open(kinds[k], sessions, errs, true);
            ServerProcess.Memory idleMemory = server.memory();
            long heldBefore = server.command("held").get("held");
            for (RawConnection c : conns) {
                try {
                    c.send("/hold", perSession);
                } catch (IOException e) {
                    errs[0]++;
                }
            }
            long expected = (long) sessions * perSession;
            long held = heldBefore;
            for (long deadline = System.nanoTime() + 120_000_000_000L; System.nanoTime() < deadline; ) {
                held = server.command("held").get("held") - heldBefore;
                if (held >= expected) {
                    break;
                }
                Thread.sleep(200);
            }
            ServerProcess.Memory busy = server.memory();
            server.command("release");
            long completed = 0;
            for (RawConnection c : conns) {
                try {
                    c.awaitEnds(perSession);
                } catch (IOException e) {
                    errs[0]++;
                }
                completed += Math.max(0, c.ended - 1);
                errs[0] += c.reset;
            }
            for (RawConnection c : conns) {
                if (c instanceof RawConnection.Spdy s) {
                    s.endCompression();
                }
            }
            closeAll(conns);
            PerConnection p = PerConnection.of(idleMemory, busy, (int) Math.max(1, held));
            perStream[k] = p.total();
            clean[k] = held == expected && completed == expected && errs[0] == 0;
            table.add(List.of(kinds[k] == RawConnection.Kind.H2C ? "h2c" : "SPDY", held + " of " + expected,
                    String.valueOf(completed), String.valueOf(errs[0]), Results.bytes(p.total()),
                    Results.bytes(p.heap), Results.bytes(p.direct)));
            results.bar("p5-open-stream-memory.png", "P5: memory per open stream (async servlet)", "KiB", container,
                    kinds[k] == RawConnection.Kind.H2C ? "h2c" : "SPDY", p.total() / 1024);
        }
        results.detail("P5: scale", container + ", " + sessions + " sessions × " + perSession
                + " open streams (async servlet completed on release)", table);
        double ratio = perStream[0] / perStream[1];
        results.row("P5", container, sessions * perSession + " open streams over " + sessions
                + " sessions, memory per stream vs h2c", Results.bytes(perStream[0]), Results.bytes(perStream[1])
                + " h2c", ratio, "all held; ≤ 1.0×", clean[0] && ratio <= 1.0);
    }

    /** The soft limit on open files of this process, or -1 where it cannot be read. */
    static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (Exception e) {
            // Not Linux.
        }
        return -1;
    }
}
