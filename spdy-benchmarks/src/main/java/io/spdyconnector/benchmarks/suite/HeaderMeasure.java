package io.spdyconnector.benchmarks.suite;

import io.spdyconnector.benchmarks.HeaderBlockBenchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * P7: {@link HeaderBlockBenchmark} with the default policy ({@code NONE}, stored blocks) against
 * Jetty's HPACK on the same headers, in one JMH run. It measures the engine alone, so it has one
 * row, not one per container.
 */
final class HeaderMeasure {
    private HeaderMeasure() {
    }

    static void run(SuiteOptions o, Results results) throws Exception {
        TimeValue time = TimeValue.milliseconds((long) (o.jmhSeconds * 1000));
        Options options = new OptionsBuilder()
                .include(HeaderBlockBenchmark.class.getName() + "\\.(spdy|hpack)$")
                .param("policy", "NONE")
                .param("idleRelease", "false")
                .warmupIterations(Math.max(1, o.jmhIterations / 2)).warmupTime(time)
                .measurementIterations(o.jmhIterations).measurementTime(time)
                .forks(o.jmhForks)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> runs = new Runner(options).run();
        double spdy = Double.NaN;
        double spdyError = Double.NaN;
        double hpack = Double.NaN;
        double hpackError = Double.NaN;
        for (RunResult r : runs) {
            String name = r.getParams().getBenchmark();
            double score = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            if (name.endsWith(".spdy")) {
                spdy = score;
                spdyError = error;
            } else if (name.endsWith(".hpack")) {
                hpack = score;
                hpackError = error;
            }
        }
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("codec", "ns per request + response (encode and decode)", "± (99.9%)"));
        table.add(List.of("SPDY, policy NONE (default)", Results.fmt(spdy), Results.fmt(spdyError)));
        table.add(List.of("HPACK (Jetty)", Results.fmt(hpack), Results.fmt(hpackError)));
        results.detail("P7: header blocks", "HeaderBlockBenchmark, " + o.jmhIterations + " iterations of "
                + Results.fmt(o.jmhSeconds) + " s, " + o.jmhForks + " fork(s)", table);
        double ratio = spdy / hpack;
        results.row("P7", "engine", "header block encode + decode vs Jetty's HPACK", Results.fmt(spdy) + " ns",
                Results.fmt(hpack) + " ns HPACK", ratio, "≤ 1.0×", ratio <= 1.0);
        results.bar("p7-header-blocks.png", "P7: header blocks, encode + decode", "ns per request and response",
                "engine", "SPDY (NONE)", spdy);
        results.bar("p7-header-blocks.png", "P7: header blocks, encode + decode", "ns per request and response",
                "engine", "HPACK (Jetty)", hpack);
    }
}
