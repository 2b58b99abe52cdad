package io.spdyconnector.benchmarks.suite;

import io.spdyconnector.benchmarks.load.PriorityLatency;
import io.spdyconnector.protocol.client.ResponseListener;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.session.SessionConfig;
import org.eclipse.jetty.client.HttpClient;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P1 and P2 (small requests: rate, and the server's CPU per request), P3 (one-stream downloads) and
 * P6 (small-response latency beside a download), against one {@link ServerProcess}.
 */
final class LoadMeasures {
    private static final Pattern H2LOAD_RATE = Pattern.compile("finished in [0-9.]+m?s, ([0-9.]+) req/s");
    private static final Pattern H2LOAD_DONE = Pattern.compile("requests: \\d+ total, \\d+ started, \\d+ done, (\\d+) succeeded, (\\d+) failed");

    private final ServerProcess server;
    private final String container;
    private final SuiteOptions o;
    private final Results results;

    LoadMeasures(ServerProcess server, String container, SuiteOptions o, Results results) {
        this.server = server;
        this.container = container;
        this.o = o;
        this.results = results;
    }

    /** One protocol's runs: client-side requests per second and server CPU per request, per round. */
    private static final class Runs {
        final List<Double> rate = new ArrayList<>();
        final List<Double> cpuMicros = new ArrayList<>();
        long failed;
    }

    /**
     * P1 and P2: rounds of SPDY, h2c (Jetty's client) and h2c (h2load) in turn. The ratio is the
     * median of each round's ratio, so that a slow spell of the shared machine, which moves the
     * runs of one round together, does not reach it as it would a ratio of two medians.
     */
    void smallRequests() throws Exception {
        Map<String, Runs> runs = new LinkedHashMap<>();
        runs.put("spdy", new Runs());
        runs.put("h2c", new Runs());
        if (o.h2load && h2loadInstalled()) {
            runs.put("h2c-h2load", new Runs());
        }
        for (String proto : runs.keySet()) {
            smallRun(proto, o.warmupSeconds, null);
        }
        for (int round = 0; round < o.rounds; round++) {
            for (Map.Entry<String, Runs> e : runs.entrySet()) {
                smallRun(e.getKey(), o.seconds, e.getValue());
            }
        }
        String shape = o.sessions + " × " + o.streams;
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("protocol (client)", "req/s (median)", "server CPU µs/request (median)", "failed",
                "req/s of each run"));
        for (Map.Entry<String, Runs> e : runs.entrySet()) {
            Runs r = e.getValue();
            table.add(List.of(label(e.getKey()), Results.fmt(Results.median(r.rate)),
                    Results.fmt(Results.median(r.cpuMicros)), String.valueOf(r.failed), list(r.rate)));
            results.bar("p1-small-requests.png", "P1: small GETs per second (" + shape + ")", "requests/s", container,
                    label(e.getKey()), Results.median(r.rate));
            results.bar("p2-server-cpu.png", "P2: server CPU per small GET", "µs per request", container,
                    label(e.getKey()), Results.median(r.cpuMicros));
        }
        results.detail("P1, P2: small GETs", container + ", " + shape + " streams, " + o.rounds + " runs of "
                + Results.fmt(o.seconds) + " s each", table);
        Runs spdy = runs.get("spdy");
        Runs h2c = runs.get("h2c");
        double rateRatio = Results.pairedRatio(spdy.rate, h2c.rate);
        results.row("P1", container, "small GET req/s, " + shape + ", vs h2c (Jetty's client)",
                Results.fmt(Results.median(spdy.rate)), Results.fmt(Results.median(h2c.rate)) + " h2c", rateRatio,
                "≥ 1.0×", rateRatio >= 1.0 && spdy.failed == 0);
        double cpuRatio = Results.pairedRatio(spdy.cpuMicros, h2c.cpuMicros);
        results.row("P2", container, "server CPU per small GET vs h2c",
                Results.fmt(Results.median(spdy.cpuMicros)) + " µs", Results.fmt(Results.median(h2c.cpuMicros))
                        + " µs h2c", cpuRatio, "≤ 1.0×", cpuRatio <= 1.0);
        results.note("P1/P2 on " + container + ", SPDY ÷ h2c (Jetty's client) in each round: "
                + list(Results.ratios(spdy.rate, h2c.rate)) + " in requests/s, "
                + list(Results.ratios(spdy.cpuMicros, h2c.cpuMicros)) + " in server CPU per request.");
        Runs h2load = runs.get("h2c-h2load");
        if (h2load != null) {
            results.note("P1/P2 with h2load driving h2c instead (" + container + "): SPDY ÷ h2c is "
                    + Results.fmt(Results.pairedRatio(spdy.rate, h2load.rate)) + "× in requests/s and "
                    + Results.fmt(Results.pairedRatio(spdy.cpuMicros, h2load.cpuMicros))
                    + "× in server CPU per request.");
        }
    }

    private static String label(String proto) {
        return switch (proto) {
            case "spdy" -> "SPDY (project client)";
            case "h2c" -> "h2c (Jetty HTTP2Client)";
            default -> "h2c (h2load)";
        };
    }

    private static String list(List<Double> values) {
        List<String> s = new ArrayList<>();
        for (double v : values) {
            s.add(Results.fmt(v));
        }
        return String.join(", ", s);
    }

    private void smallRun(String proto, double seconds, Runs into) throws Exception {
        if (seconds <= 0) {
            return;
        }
        if (proto.equals("h2c-h2load")) {
            long[] s0 = server.cpuAndServed();
            double[] h = h2load(seconds);
            long[] s1 = server.cpuAndServed();
            if (into != null) {
                into.rate.add(h[0]);
                into.cpuMicros.add(cpuMicros(s0, s1));
                into.failed += (long) h[1];
            }
            return;
        }
        String url = server.url(proto.equals("spdy") ? server.spdyPort : server.h2cPort, "/small");
        try (ClosedLoop.Transport t = proto.equals("spdy") ? ClosedLoop.spdy(url, o.sessions)
                : ClosedLoop.h2c(url, o.sessions, o.streams)) {
            long[] s0 = server.cpuAndServed();
            ClosedLoop.Outcome out = ClosedLoop.run(t, o.sessions * o.streams, seconds);
            long[] s1 = server.cpuAndServed();
            if (into != null) {
                into.rate.add(out.perSecond());
                into.cpuMicros.add(cpuMicros(s0, s1));
                into.failed += out.failed();
            }
        }
    }

    private static double cpuMicros(long[] s0, long[] s1) {
        return (s1[0] - s0[0]) / 1e3 / Math.max(1, s1[1] - s0[1]);
    }

    static boolean h2loadInstalled() {
        try {
            return new ProcessBuilder("h2load", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** h2load on the h2c port, with this JVM's CPU pinning: requests/s and failed requests. */
    private double[] h2load(double seconds) throws IOException, InterruptedException {
        int duration = Math.max(1, (int) Math.round(seconds));
        Process p = new ProcessBuilder("h2load", "-c", String.valueOf(o.sessions), "-m", String.valueOf(o.streams),
                "-t", "1", "-D", String.valueOf(duration), server.url(server.h2cPort, "/small"))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher rate = H2LOAD_RATE.matcher(output);
        Matcher done = H2LOAD_DONE.matcher(output);
        if (!rate.find() || !done.find()) {
            throw new IOException("h2load: unexpected output:\n" + output);
        }
        return new double[] {Double.parseDouble(rate.group(1)), Double.parseDouble(done.group(2))};
    }

    /**
     * Downloads each protocol makes of each response before the measured ones: two of the full
     * size are some 30,000 writes of 64 KiB, enough for the server's and the client's write paths
     * to be compiled; with fewer the first measured run of whichever protocol went first was slow.
     */
    private static final int WARM_UP_DOWNLOADS = 2;
    /** P3's ways of downloading, in the order each round runs them. */
    private static final int RAW_SPDY = 0;
    private static final int RAW_HTTP1 = 1;
    private static final int RAW_H2C = 2;
    private static final int CLIENT_SPDY = 3;
    private static final int CLIENT_HTTP1 = 4;

    /**
     * P3: one stream, a servlet's response and the default servlet's file, SPDY vs HTTP/1.1, each
     * through the same minimal reader ({@link RawDownload}: the target's figure) and through the
     * clients (the project's and Jetty's); the container's own h2c through the same reader is the
     * reference for what a framed, flow-controlled protocol costs on that container. Besides MB/s,
     * the server's CPU per MB and how busy the server and this load generator were (each has one
     * CPU when pinned): near 100 % says which side limits the download.
     */
    void downloads(String staticFile) throws Exception {
        long size = o.downloadBytes;
        String[][] cases = {{"servlet", "/big?n=" + size}, {"default servlet (static file)", "/" + staticFile}};
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("response", "protocol", "readers", "MB/s (median)", "HTTP/1.1 MB/s (median)",
                "ratio (median of runs' ratios)", "server CPU µs/MB, protocol / HTTP/1.1",
                "server busy, protocol / HTTP/1.1", "load generator busy, protocol / HTTP/1.1", "runs",
                "HTTP/1.1 runs"));
        // The windows of Jetty's HTTP/2 client (8 MiB per stream, 16 MiB per session), as a browser would
        // declare them for downloads: with the 64 KiB default a single stream waits for WINDOW_UPDATEs.
        SessionConfig windows = SessionConfig.builder().initialWindowSize(8 << 20).sessionWindowSize(16 << 20).build();
        try (SpdyClient spdy = SpdyClient.builder().ioThreads(1).sessionConfig(windows).build()) {
            HttpClient http1 = ClosedLoop.http1Client();
            try {
                for (String[] c : cases) {
                    String path = c[1];
                    Transfer rawSpdy = () -> RawDownload.spdy(server.spdyPort, path);
                    Transfer rawHttp1 = () -> RawDownload.http1(server.http1Port, path, size);
                    Transfer rawH2c = () -> RawDownload.h2c(server.h2cPort, path);
                    Transfer clientSpdy = () -> spdyDownload(spdy, server.url(server.spdyPort, path));
                    Transfer clientHttp1 = () -> http1Download(http1, server.url(server.http1Port, path));
                    // The same reader's three in a row, so that each is paired with a close HTTP/1.1 run.
                    Transfer[] order = {rawSpdy, rawHttp1, rawH2c, clientSpdy, clientHttp1};
                    for (int i = 0; i < WARM_UP_DOWNLOADS; i++) {
                        for (Transfer t : order) {
                            checkSize(t.bytes(), size, path);
                        }
                    }
                    List<List<Download>> runs = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                            new ArrayList<>(), new ArrayList<>());
                    for (int i = 0; i < o.downloadRounds; i++) {
                        for (int k = 0; k < order.length; k++) {
                            Transfer t = order[k];
                            runs.get(k).add(measure(() -> checkSize(t.bytes(), size, path)));
                        }
                    }
                    String shortName = c[0].startsWith("servlet") ? "servlet" : "static file";
                    double ratio = downloadRow(table, c[0], "SPDY", "same minimal reader", runs.get(RAW_SPDY),
                            runs.get(RAW_HTTP1));
                    results.row("P3", container, "download of " + Results.bytes(size) + ", " + c[0]
                                    + ", vs HTTP/1.1, same reader",
                            Results.fmt(median(runs.get(RAW_SPDY), Download::megabytesPerSecond)) + " MB/s",
                            Results.fmt(median(runs.get(RAW_HTTP1), Download::megabytesPerSecond)) + " MB/s h1",
                            ratio, "≥ 0.9×", ratio >= 0.9);
                    double clients = downloadRow(table, c[0], "SPDY", "clients (project's, Jetty's)",
                            runs.get(CLIENT_SPDY), runs.get(CLIENT_HTTP1));
                    results.note("P3 on " + container + ", " + c[0] + " through the clients (the project's SPDY "
                            + "client, Jetty's HTTP/1.1 client): " + Results.fmt(clients) + "×.");
                    double h2c = downloadRow(table, c[0], "h2c (reference)", "same minimal reader",
                            runs.get(RAW_H2C), runs.get(RAW_HTTP1));
                    results.note("P3 on " + container + ", " + c[0] + ": the container's own h2c through the same "
                            + "reader, as a reference: " + Results.fmt(h2c) + "× of HTTP/1.1 (SPDY: "
                            + Results.fmt(ratio) + "×).");
                    String chart = "P3: one-stream download of " + Results.bytes(size) + " (same reader)";
                    results.bar("p3-download.png", chart, "MB/s", container, "SPDY, " + shortName,
                            median(runs.get(RAW_SPDY), Download::megabytesPerSecond));
                    results.bar("p3-download.png", chart, "MB/s", container, "HTTP/1.1, " + shortName,
                            median(runs.get(RAW_HTTP1), Download::megabytesPerSecond));
                    results.bar("p3-download.png", chart, "MB/s", container, "h2c, " + shortName,
                            median(runs.get(RAW_H2C), Download::megabytesPerSecond));
                }
            } finally {
                http1.stop();
            }
        }
        results.detail("P3: downloads", container + ", one stream, " + o.downloadRounds + " rounds, each "
                + "SPDY, HTTP/1.1 and h2c through the same reader, then SPDY and HTTP/1.1 through the clients", table);
    }

    /** Adds one line of the P3 table; returns the median of the runs' ratios. */
    private static double downloadRow(List<List<String>> table, String response, String protocol, String readers,
            List<Download> s, List<Download> h) {
        double ratio = Results.pairedRatio(rates(s), rates(h));
        table.add(List.of(response, protocol, readers, Results.fmt(median(s, Download::megabytesPerSecond)),
                Results.fmt(median(h, Download::megabytesPerSecond)),
                Results.fmt(ratio) + " (" + list(Results.ratios(rates(s), rates(h))) + ")",
                Results.fmt(median(s, Download::serverMicrosPerMegabyte)) + " / "
                        + Results.fmt(median(h, Download::serverMicrosPerMegabyte)),
                percent(median(s, Download::serverBusy)) + " / " + percent(median(h, Download::serverBusy)),
                percent(median(s, Download::clientBusy)) + " / " + percent(median(h, Download::clientBusy)),
                list(rates(s)), list(rates(h))));
        return ratio;
    }

    private static long checkSize(long bytes, long expected, String path) throws IOException {
        if (bytes != expected) {
            throw new IOException("download of " + path + ": " + bytes + " bytes, not " + expected);
        }
        return bytes;
    }

    /** One download: its rate, the server's CPU per MB, and the share of one CPU each side used. */
    private record Download(double megabytesPerSecond, double serverMicrosPerMegabyte, double serverBusy,
            double clientBusy) {
    }

    private interface Transfer {
        long bytes() throws Exception;
    }

    private Download measure(Transfer transfer) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long server0 = server.cpuAndServed()[0];
        long client0 = os.getProcessCpuTime();
        long start = System.nanoTime();
        long bytes = transfer.bytes();
        long elapsed = System.nanoTime() - start;
        long client1 = os.getProcessCpuTime();
        long server1 = server.cpuAndServed()[0];
        double megabytes = bytes / 1e6;
        return new Download(megabytes / (elapsed / 1e9), (server1 - server0) / 1e3 / megabytes,
                (server1 - server0) / (double) elapsed, (client1 - client0) / (double) elapsed);
    }

    private static double median(List<Download> runs, java.util.function.ToDoubleFunction<Download> value) {
        List<Double> values = new ArrayList<>();
        for (Download d : runs) {
            values.add(value.applyAsDouble(d));
        }
        return Results.median(values);
    }

    private static List<Double> rates(List<Download> runs) {
        List<Double> values = new ArrayList<>();
        for (Download d : runs) {
            values.add(d.megabytesPerSecond());
        }
        return values;
    }

    private static String percent(double share) {
        return Math.round(share * 100) + " %";
    }

    /** Bytes of one download. */
    private static long spdyDownload(SpdyClient client, String url) throws Exception {
        AtomicLong bytes = new AtomicLong();
        var response = client.exchange(SpdyRequest.newBuilder(url).build(), new ResponseListener() {
            @Override
            public void onData(ByteBuffer data, Runnable release) {
                bytes.addAndGet(data.remaining());
                release.run();
            }
        }).response().get(10, TimeUnit.MINUTES);
        if (response.status() != 200) {
            throw new IOException("download " + url + ": status " + response.status());
        }
        return bytes.get();
    }

    private static long http1Download(HttpClient client, String url) throws Exception {
        AtomicLong bytes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        client.newRequest(url).timeout(10, TimeUnit.MINUTES)
                .onResponseContent((r, content) -> bytes.addAndGet(content.remaining()))
                .send(result -> {
                    failure.set(result.getFailure());
                    done.countDown();
                });
        done.await();
        if (failure.get() != null) {
            throw new IOException("download " + url, failure.get());
        }
        return bytes.get();
    }

    /** P6: small responses alone, then beside an endless download at priority 7 and at priority 0. */
    void latency() throws Exception {
        String small = server.url(server.spdyPort, "/small");
        String big = server.url(server.spdyPort, "/big");
        try (SpdyClient client = SpdyClient.builder().ioThreads(1).build()) {
            PriorityLatency.measure(small, big, client, Math.max(10, o.latencyRequests / 3), -1);
            PriorityLatency.Result alone = PriorityLatency.measure(small, big, client, o.latencyRequests, -1);
            PriorityLatency.Result low = PriorityLatency.measure(small, big, client, o.latencyRequests, 7);
            PriorityLatency.Result equal = PriorityLatency.measure(small, big, client, o.latencyRequests, 0);
            List<List<String>> table = new ArrayList<>();
            table.add(List.of("small GETs (priority 0)", "p50 ms", "p99 ms", "max ms", "download MB/s"));
            String[] labels = {"alone", "beside a download at priority 7", "beside a download at priority 0"};
            PriorityLatency.Result[] all = {alone, low, equal};
            for (int i = 0; i < 3; i++) {
                table.add(List.of(labels[i], Results.fmt(all[i].p50()), Results.fmt(all[i].p99()),
                        Results.fmt(all[i].max()), i == 0 ? "" : Results.fmt(all[i].downloadMegabytesPerSecond())));
            }
            results.detail("P6: latency beside a download", container + ", " + o.latencyRequests
                    + " small GETs one after the other on one session", table);
            double ratio = low.p99() / alone.p99();
            results.row("P6", container, "p99 of small GETs beside a download (priority 7) vs alone",
                    Results.fmt(low.p99()) + " ms", Results.fmt(alone.p99()) + " ms alone", ratio, "≤ 2×", ratio <= 2);
        }
    }
}
