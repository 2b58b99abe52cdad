package io.spdyconnector.tools.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one protocol's measured phase: what the table shows and {@code --json} writes.
 *
 * @param proto          the --proto value: spdy, h2c or http1
 * @param protocol       what was spoken: spdy/3.1, spdy/3, h2c, h2 or http/1.1
 * @param connections    connections (sessions) opened
 * @param concurrency    requests in flight at most
 * @param requests       requests completed, with or without a response
 * @param succeeded      responses with status 200 to 399
 * @param failed         the others: 400 and above, resets, lost connections, time-outs
 * @param seconds        length of the measured phase
 * @param requestsPerSecond requests completed per second
 * @param bodyBytes      response body bytes received
 * @param megabytesPerSecond response body megabytes (10^6 bytes) per second
 * @param latency        send to last byte, of the requests that got a response, in milliseconds
 * @param statusClasses  responses by status class ("2xx" ...)
 * @param errors         failed requests by kind ("http-5xx", "reset:REFUSED_STREAM", "connect", ...)
 * @param firstErrors    the message of the first failure of each kind that had no response
 */
record BenchResult(String proto, String protocol, int connections, int concurrency, long requests, long succeeded,
        long failed, double seconds, double requestsPerSecond, long bodyBytes, double megabytesPerSecond,
        Latency latency, Map<String, Long> statusClasses, Map<String, Long> errors, Map<String, String> firstErrors) {

    /** Latency percentiles in milliseconds. */
    record Latency(double min, double mean, double p50, double p90, double p99, double max) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("min", min);
            m.put("mean", mean);
            m.put("p50", p50);
            m.put("p90", p90);
            m.put("p99", p99);
            m.put("max", max);
            return m;
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("proto", proto);
        m.put("protocol", protocol);
        m.put("connections", connections);
        m.put("concurrency", concurrency);
        m.put("requests", requests);
        m.put("succeeded", succeeded);
        m.put("failed", failed);
        m.put("seconds", seconds);
        m.put("requestsPerSecond", requestsPerSecond);
        m.put("bodyBytes", bodyBytes);
        m.put("megabytesPerSecond", megabytesPerSecond);
        m.put("latencyMillis", latency.toMap());
        m.put("statusClasses", statusClasses);
        m.put("errors", errors);
        m.put("firstErrors", firstErrors);
        return m;
    }
}
