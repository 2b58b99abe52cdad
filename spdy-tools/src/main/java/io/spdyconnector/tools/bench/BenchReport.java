package io.spdyconnector.tools.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The final report: a table with one column per protocol, so that a run with
 * {@code --proto spdy,h2c,http1} reads side by side, or the same numbers as one JSON document.
 */
final class BenchReport {
    private final Map<String, Object> run;
    private final List<BenchResult> results;

    BenchReport(Map<String, Object> run, List<BenchResult> results) {
        this.run = run;
        this.results = results;
    }

    String json() {
        Map<String, Object> doc = new LinkedHashMap<>(run);
        List<Object> list = new ArrayList<>();
        for (BenchResult r : results) {
            list.add(r.toMap());
        }
        doc.put("results", list);
        StringBuilder out = new StringBuilder();
        Json.write(out, doc);
        return out.append('\n').toString();
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append("spdy bench ").append(run.get("url")).append(": ").append(run.get("method"));
        Object requests = run.get("requests");
        out.append(requests != null ? ", " + requests + " requests" : ", " + seconds(run.get("durationSeconds")));
        out.append(", -c ").append(run.get("sessions")).append(" -m ").append(run.get("streamsPerSession"));
        if (((Number) run.get("warmupSeconds")).doubleValue() > 0) {
            out.append(", ").append(seconds(run.get("warmupSeconds"))).append(" warm-up");
        }
        out.append("\n\n");
        row(out, "", r -> r.proto());
        row(out, "protocol", r -> r.protocol());
        row(out, "connections", r -> Long.toString(r.connections()));
        row(out, "concurrency", r -> Long.toString(r.concurrency()));
        row(out, "requests", r -> Long.toString(r.requests()));
        row(out, "succeeded", r -> Long.toString(r.succeeded()));
        row(out, "failed", r -> Long.toString(r.failed()));
        row(out, "time (s)", r -> number(r.seconds(), 2));
        row(out, "req/s", r -> number(r.requestsPerSecond(), 1));
        row(out, "MB/s (bodies)", r -> number(r.megabytesPerSecond(), 2));
        row(out, "latency min (ms)", r -> number(r.latency().min(), 3));
        row(out, "latency mean (ms)", r -> number(r.latency().mean(), 3));
        row(out, "latency p50 (ms)", r -> number(r.latency().p50(), 3));
        row(out, "latency p90 (ms)", r -> number(r.latency().p90(), 3));
        row(out, "latency p99 (ms)", r -> number(r.latency().p99(), 3));
        row(out, "latency max (ms)", r -> number(r.latency().max(), 3));
        row(out, "status 2xx/3xx/4xx/5xx", r -> r.statusClasses().get("2xx") + "/" + r.statusClasses().get("3xx")
                + "/" + r.statusClasses().get("4xx") + "/" + r.statusClasses().get("5xx"));
        row(out, "errors", BenchReport::errors);
        for (BenchResult r : results) {
            r.firstErrors().forEach((kind, message) ->
                    out.append("first ").append(kind).append(" (").append(r.proto()).append("): ").append(message)
                            .append('\n'));
        }
        return out.toString();
    }

    private static String errors(BenchResult r) {
        if (r.errors().isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        r.errors().forEach((kind, count) -> sb.append(sb.length() == 0 ? "" : ", ").append(kind).append(' ')
                .append(count));
        return sb.toString();
    }

    private void row(StringBuilder out, String name, Function<BenchResult, String> value) {
        out.append(String.format(Locale.ROOT, "%-24s", name));
        for (BenchResult r : results) {
            out.append(String.format(Locale.ROOT, "%-18s", value.apply(r))).append(' ');
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        out.append('\n');
    }

    private static String seconds(Object value) {
        return new java.math.BigDecimal(value.toString()).stripTrailingZeros().toPlainString() + " s";
    }

    private static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
