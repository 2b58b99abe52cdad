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
                measure(server, client, requests / 3, -1, "warm-up");
                measure(server, client, requests, -1, "alone");
                measure(server, client, requests, 7, "beside a download at priority 7");
                measure(server, client, requests, 0, "beside a download at priority 0");
            }
        }
    }

    private static void measure(Containers.Running server, SpdyClient client, int requests, int downloadPriority,
            String label) throws Exception {
        AtomicLong downloaded = new AtomicLong();
        SpdyExchange download = null;
        if (downloadPriority >= 0) {
            download = client.exchange(SpdyRequest.newBuilder(server.url("/big")).priority(downloadPriority).build(),
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
        SpdyRequest small = SpdyRequest.newBuilder(server.url("/small")).priority(0).build();
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
        if (label.equals("warm-up")) {
            return;
        }
        Arrays.sort(nanos);
        String rate = download == null ? "" : String.format(Locale.ROOT, "%.0f MB/s",
                (downloaded.get() - startBytes) / seconds / 1e6);
        System.out.printf(Locale.ROOT, "%-16s %-34s %9.3f %9.3f %9.3f %11s%n", server.name(), label,
                percentile(nanos, 0.50), percentile(nanos, 0.99), nanos[nanos.length - 1] / 1e6, rate);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
