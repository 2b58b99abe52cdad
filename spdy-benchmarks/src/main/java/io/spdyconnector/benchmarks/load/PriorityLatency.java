package io.spdyconnector.benchmarks.load;

import io.spdyconnector.protocol.client.ResponseListener;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyExchange;
import io.spdyconnector.protocol.client.SpdyRequest;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether SYN_STREAM priorities order output end to end: the latency of small priority-0
 * responses on one session, alone, next to an endless download at priority 7, and next to the same
 * download at priority 0 (what priorities buy). Run on Jetty and Tomcat in one JVM, side by side:
 *
 * <pre>java -cp spdy-benchmarks/target/benchmarks.jar io.spdyconnector.benchmarks.load.PriorityLatency [requests]</pre>
 */
public final class PriorityLatency {
    private PriorityLatency() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        System.out.printf("%-16s %-34s %9s %9s %9s %11s%n", "container", "small GETs (priority 0)", "p50 ms", "p99 ms",
                "max ms", "download");
        for (String container : new String[] {"jetty", "tomcat"}) {
            try (Containers.Running server = container.equals("jetty") ? Containers.jetty() : Containers.tomcat();
                    SpdyClient client = SpdyClient.create()) {
                measure(server.url("/small"), server.url("/big"), client, requests / 3, -1);
                print(server, "alone", measure(server.url("/small"), server.url("/big"), client, requests, -1));
                print(server, "beside a download at priority 7",
                        measure(server.url("/small"), server.url("/big"), client, requests, 7));
                print(server, "beside a download at priority 0",
                        measure(server.url("/small"), server.url("/big"), client, requests, 0));
            }
        }
    }

    /**
     * Latency of one small response, and the download's rate, in one measurement.
     *
     * @param p50 median in milliseconds
     * @param p99 99th percentile in milliseconds
     * @param max slowest in milliseconds
     * @param downloadMegabytesPerSecond the download's rate while the small requests ran (0 without one)
     */
    public record Result(double p50, double p99, double max, double downloadMegabytesPerSecond) {
    }

    /**
     * Sends {@code requests} small GETs ({@code smallUrl}) one after the other at priority 0, beside
     * an endless download of {@code bigUrl} on the same session at {@code downloadPriority}, or alone
     * if it is negative.
     */
    public static Result measure(String smallUrl, String bigUrl, SpdyClient client, int requests,
            int downloadPriority) throws Exception {
        AtomicLong downloaded = new AtomicLong();
        SpdyExchange download = null;
        if (downloadPriority >= 0) {
            download = client.exchange(SpdyRequest.newBuilder(bigUrl).priority(downloadPriority).build(),
                    new ResponseListener() {
                        @Override
                        public void onData(ByteBuffer data, Runnable release) {
                            downloaded.addAndGet(data.remaining());
                            release.run();
                        }
                    });
            // Let the download reach full speed first.
            while (downloaded.get() < (64 << 20)) {
                Thread.sleep(10);
            }
        }
        long[] nanos = new long[requests];
        long startBytes = downloaded.get();
        long start = System.nanoTime();
        SpdyRequest small = SpdyRequest.newBuilder(smallUrl).priority(0).build();
        for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            var r = client.sendAsync(small).get(30, TimeUnit.SECONDS);
            if (r.status() != 200) {
                throw new IllegalStateException("small request failed: " + r.status() + " " + r.bodyAsString());
            }
            nanos[i] = System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (download != null) {
            download.cancel();
        }
        Arrays.sort(nanos);
        return new Result(percentile(nanos, 0.50), percentile(nanos, 0.99), nanos[nanos.length - 1] / 1e6,
                download == null ? 0 : (downloaded.get() - startBytes) / seconds / 1e6);
    }

    private static void print(Containers.Running server, String label, Result r) {
        String rate = r.downloadMegabytesPerSecond() == 0 ? "" : String.format(Locale.ROOT, "%.0f MB/s",
                r.downloadMegabytesPerSecond());
        System.out.printf(Locale.ROOT, "%-16s %-34s %9.3f %9.3f %9.3f %11s%n", server.name(), label, r.p50(), r.p99(),
                r.max(), rate);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
