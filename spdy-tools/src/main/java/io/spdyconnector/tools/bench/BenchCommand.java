package io.spdyconnector.tools.bench;

import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.tools.ExitCodes;
import io.spdyconnector.tools.RequestOptions;
import io.spdyconnector.tools.SpdyTool;
import io.spdyconnector.tools.ToolException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code spdy bench}: h2load for SPDY, and the same load over h2c and HTTP/1.1 with Jetty's client,
 * one protocol after the other on the same target, reported side by side.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load-test a URL like h2load: a closed loop of SESSIONS connections with STREAMS requests "
                + "in flight on each, reporting requests/s, MB/s, latency percentiles and errors by kind. "
                + "--proto spdy,h2c,http1 runs the same load over each protocol in turn and prints them side by "
                + "side.", ""},
        footer = {"", "The progress bar goes to standard error when it is a terminal; the report to standard output.",
                "", "Examples:",
                "  spdy bench -c 4 -m 16 -n 100000 http://localhost:8080/hello",
                "  spdy bench -c 2 -m 8 -D 10 --warmup 2 --proto spdy,h2c,http1 \\",
                "      http://localhost:8080/hello",
                "  spdy bench -k -m 4 -n 200 -d @payload.bin --json https://localhost:8443/echo"})
public final class BenchCommand implements Callable<Integer> {
    /** The protocols bench drives. */
    public enum Proto {
        spdy, h2c, http1
    }

    @ParentCommand
    private SpdyTool tool;

    @Parameters(index = "0", paramLabel = "URL", description = "http:// or https:// URL.")
    private String url;

    @Option(names = {"-c", "--clients"}, paramLabel = "SESSIONS", defaultValue = "1",
            description = "Connections (SPDY sessions) to open (default: ${DEFAULT-VALUE}).")
    private int sessions;

    @Option(names = {"-m", "--max-concurrent-streams"}, paramLabel = "STREAMS", defaultValue = "1",
            description = "Requests in flight on each connection (default: ${DEFAULT-VALUE}; 1 for http1, which "
                    + "does not pipeline).")
    private int streams;

    @ArgGroup(exclusive = true)
    private Amount amount;

    /** Either a number of requests or a duration. */
    static final class Amount {
        @Option(names = {"-n", "--requests"}, paramLabel = "REQUESTS",
                description = "Requests to send (default: 1000).")
        long requests;

        @Option(names = {"-D", "--duration"}, paramLabel = "SECONDS", description = "Send requests for SECONDS instead.")
        double seconds;
    }

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "0",
            description = "Run for SECONDS before measuring, on the same connections (default: ${DEFAULT-VALUE}).")
    private double warmupSeconds;

    @Option(names = "--proto", paramLabel = "spdy|h2c|http1", split = ",", defaultValue = "spdy",
            description = "Protocols to run, comma-separated, in order (default: ${DEFAULT-VALUE}).")
    private List<Proto> protos;

    @Option(names = "--json", description = "Print the report as one JSON document instead of a table.")
    private boolean json;

    @Option(names = "--progress", negatable = true,
            description = "Show a progress bar on standard error (default: when standard error is a terminal).")
    private Boolean progress;

    @Mixin
    private RequestOptions request;

    @Override
    public Integer call() throws Exception {
        URI uri = RequestOptions.parseUrl(url);
        if (sessions < 1 || streams < 1) {
            throw new ToolException(ExitCodes.USAGE, "-c and -m must be at least 1");
        }
        long requests = amount == null || amount.requests == 0 && amount.seconds == 0 ? 1000 : amount.requests;
        double seconds = amount == null ? 0 : amount.seconds;
        if (requests < 0 || seconds < 0 || warmupSeconds < 0) {
            throw new ToolException(ExitCodes.USAGE, "-n, -D and --warmup must not be negative");
        }
        SpdyRequest spdyRequest = request.spdyRequest(uri);
        boolean showProgress = progress != null ? progress : System.console() != null;
        ProgressBar bar = new ProgressBar(tool.err(), showProgress);

        List<BenchResult> results = new ArrayList<>();
        for (Proto proto : protos) {
            try (LoadTransport transport = transport(proto, uri, spdyRequest)) {
                transport.connect();
                LoadGenerator generator = new LoadGenerator(transport, bar);
                try {
                    generator.warmUp(warmupSeconds);
                    Measurement m = generator.measure(requests, seconds);
                    results.add(m.result(proto.name(), transport.protocol(), transport.connections(),
                            transport.slots()));
                } finally {
                    generator.close();
                }
            }
        }
        BenchReport report = new BenchReport(describeRun(uri, requests, seconds), results);
        tool.out().print(json ? report.json() : report.table());
        tool.out().flush();
        return results.stream().anyMatch(r -> r.failed() > 0) ? ExitCodes.REQUESTS_FAILED : ExitCodes.OK;
    }

    private LoadTransport transport(Proto proto, URI uri, SpdyRequest spdyRequest) {
        return switch (proto) {
            case spdy -> new SpdyLoadTransport(request.clientBuilder(), uri, spdyRequest, sessions, streams,
                    request.connectTimeout());
            case h2c, http1 -> new JettyClientLoadTransport(proto == Proto.h2c ? JettyClientLoadTransport.Version.H2C
                    : JettyClientLoadTransport.Version.HTTP1, uri, request.method(), request.headers(), request.body(),
                    sessions, streams, request.insecure(), request.connectTimeout(), RequestOptions.userAgent());
        };
    }

    private Map<String, Object> describeRun(URI uri, long requests, double seconds) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("url", uri.toString());
        run.put("method", request.method());
        run.put("requestBodyBytes", request.body() == null ? 0 : request.body().length);
        run.put("sessions", sessions);
        run.put("streamsPerSession", streams);
        run.put("requests", seconds > 0 ? null : requests);
        run.put("durationSeconds", seconds > 0 ? seconds : null);
        run.put("warmupSeconds", warmupSeconds);
        run.put("protos", protos.stream().map(p -> p.name().toLowerCase(Locale.ROOT)).toList());
        return run;
    }
}
