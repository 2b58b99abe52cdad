package io.spdyconnector.tools.bench;

import io.spdyconnector.tools.Failures;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The numbers of one phase of a run, recorded from the clients' I/O threads without locks:
 * latencies in an HdrHistogram {@link Recorder} (microseconds, three significant digits), counts
 * in adders. Once {@link #close closed}, late completions no longer count.
 */
final class Measurement {
    private final Recorder latencies = new Recorder(3);
    private final LongAdder completed = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder bodyBytes = new LongAdder();
    private final LongAdder[] statusClasses = new LongAdder[6];
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, String> firstErrors = new ConcurrentHashMap<>();
    private final long startNanos = System.nanoTime();
    private volatile long endNanos;

    Measurement() {
        for (int i = 0; i < statusClasses.length; i++) {
            statusClasses[i] = new LongAdder();
        }
    }

    /** A response arrived: status, body size and the time from send to its last byte. */
    void response(int status, long bytes, long latencyNanos) {
        if (endNanos != 0) {
            return;
        }
        latencies.recordValue(Math.max(1, latencyNanos / 1000));
        completed.increment();
        bodyBytes.add(bytes);
        int statusClass = status / 100;
        if (statusClass >= 1 && statusClass <= 5) {
            statusClasses[statusClass].increment();
        }
        if (status >= 200 && status < 400) {
            succeeded.increment();
        } else {
            error("http-" + (statusClass >= 1 && statusClass <= 5 ? statusClass + "xx" : "status-" + status));
        }
    }

    /** A request failed without a response. */
    void failure(Throwable cause) {
        if (endNanos != 0) {
            return;
        }
        completed.increment();
        String kind = Failures.kind(cause);
        error(kind);
        firstErrors.putIfAbsent(kind, Failures.describe(cause));
    }

    /** Requests still in flight when the run gave up waiting for them. */
    void abandoned(long count) {
        if (count > 0) {
            completed.add(count);
            errors.computeIfAbsent("timeout", k -> new LongAdder()).add(count);
        }
    }

    private void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    long completed() {
        return completed.sum();
    }

    long errorCount() {
        return completed.sum() - succeeded.sum();
    }

    double elapsedSeconds() {
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        return (end - startNanos) / 1e9;
    }

    /** Ends the phase: from now on nothing more is counted. */
    void close() {
        endNanos = System.nanoTime();
    }

    BenchResult result(String proto, String protocol, int connections, int concurrency) {
        Histogram h = latencies.getIntervalHistogram();
        long done = completed.sum();
        double seconds = Math.max(1e-9, elapsedSeconds());
        long bytes = bodyBytes.sum();
        Map<String, Long> statuses = new TreeMap<>();
        for (int i = 1; i <= 5; i++) {
            statuses.put(i + "xx", statusClasses[i].sum());
        }
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
        Map<String, String> examples = new TreeMap<>(firstErrors);
        boolean any = h.getTotalCount() > 0;
        return new BenchResult(proto, protocol, connections, concurrency, done, succeeded.sum(),
                done - succeeded.sum(), seconds, done / seconds, bytes, bytes / seconds / 1e6,
                new BenchResult.Latency(any ? h.getMinValue() / 1000.0 : 0, any ? h.getMean() / 1000.0 : 0,
                        any ? h.getValueAtPercentile(50) / 1000.0 : 0, any ? h.getValueAtPercentile(90) / 1000.0 : 0,
                        any ? h.getValueAtPercentile(99) / 1000.0 : 0, any ? h.getMaxValue() / 1000.0 : 0),
                statuses, errorCounts, examples);
    }
}
