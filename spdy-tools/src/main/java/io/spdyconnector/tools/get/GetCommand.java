package io.spdyconnector.tools.get;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyConnection;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.tools.ExitCodes;
import io.spdyconnector.tools.Failures;
import io.spdyconnector.tools.RequestOptions;
import io.spdyconnector.tools.SpdyTool;
import io.spdyconnector.tools.ToolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code spdy get}: curl for SPDY. The connection is opened before any request is sent, so that a
 * failure to connect ({@link ExitCodes#CONNECT_FAILED}) is told apart from a failed exchange
 * ({@link ExitCodes#EXCHANGE_FAILED}) without guessing from exception types.
 */
@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fetch a URL over SPDY, like curl: http:// speaks SPDY with prior knowledge, "
                + "https:// negotiates spdy/3.1 or spdy/3 with ALPN.", ""},
        footer = {"", "Examples:",
                "  spdy get http://localhost:8080/hello",
                "  spdy get -k -i https://localhost:8443/hello",
                "  spdy get -v -n 3 'http://localhost:8080/sleep?ms=200'",
                "  spdy get -d @body.json -H 'content-type: application/json' \\",
                "      http://localhost:8080/echo"})
public final class GetCommand implements Callable<Integer> {
    @ParentCommand
    private SpdyTool tool;

    @Parameters(index = "0", paramLabel = "URL", description = "http:// or https:// URL.")
    private String url;

    @Mixin
    private RequestOptions request;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the body to FILE instead of standard output.")
    private Path output;

    @Option(names = {"-i", "--include"}, description = "Print the status line and the response headers before the body.")
    private boolean include;

    @Option(names = {"-v", "--verbose"},
            description = "Print every frame sent (>) and received (<), one line each, and connection notes (*), "
                    + "on standard error.")
    private boolean verbose;

    @Option(names = {"-n", "--parallel"}, paramLabel = "COUNT", defaultValue = "1",
            description = "Send the request COUNT times at once on one session; responses print in request order "
                    + "(default: ${DEFAULT-VALUE}).")
    private int parallel;

    @Option(names = {"--max-time"}, paramLabel = "SECONDS",
            description = "Give up (exit 4) when the responses have not all arrived after SECONDS.")
    private Double maxTimeSeconds;

    @Override
    public Integer call() throws InterruptedException {
        URI uri = RequestOptions.parseUrl(url);
        if (parallel < 1) {
            throw new ToolException(ExitCodes.USAGE, "-n must be at least 1");
        }
        if (output != null && parallel > 1) {
            throw new ToolException(ExitCodes.USAGE, "-o saves one body: it cannot be combined with -n " + parallel);
        }
        SpdyRequest spdyRequest;
        try {
            spdyRequest = request.spdyRequest(uri);
        } catch (IllegalArgumentException e) {
            throw new ToolException(ExitCodes.USAGE, e.getMessage());
        }
        FrameTrace trace = new FrameTrace(verbose ? tool.err() : null);
        try (SpdyClient client = request.clientBuilder().frameObserver(trace).build()) {
            trace.note("connecting to " + uri.getHost() + ":" + Failures.port(uri) + " " + howConnected(uri));
            SpdyConnection connection = connect(client, uri);
            trace.note("connected, speaking " + connection.version().protocolName());
            try {
                return exchange(client, spdyRequest, connection.version().protocolName());
            } catch (ToolException e) {
                if (e.exitCode() != ExitCodes.EXCHANGE_FAILED || trace.heardFromPeer()) {
                    throw e;
                }
                throw new ToolException(e.exitCode(), e.getMessage() + " (the server sent no SPDY frame: "
                        + (uri.getScheme().equalsIgnoreCase("http") ? "does this port speak SPDY by prior knowledge?"
                        : "is this a SPDY server?") + ")", e.getCause());
            }
        }
    }

    private String howConnected(URI uri) {
        SpdyVersion v = request.spdyVersion();
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            return "(TLS, ALPN offers " + (v == null ? "spdy/3.1, spdy/3" : v.protocolName()) + ")";
        }
        return "(plain TCP, " + (v == null ? SpdyVersion.SPDY_3_1 : v).protocolName() + " by prior knowledge)";
    }

    private SpdyConnection connect(SpdyClient client, URI uri) throws InterruptedException {
        try {
            return client.connect(uri).get(request.connectTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw Failures.connectFailed(uri, e);
        }
    }

    /**
     * Sends the requests and writes each response as it arrives: straight to the output for one
     * request, to a buffer each for several, which are printed in request order.
     */
    private int exchange(SpdyClient client, SpdyRequest spdyRequest, String protocol) throws InterruptedException {
        OutputStream single = parallel == 1 ? openOutput() : null;
        List<ByteArrayOutputStream> buffers = new ArrayList<>();
        List<ResponseWriter> writers = new ArrayList<>();
        List<CompletableFuture<SpdyResponse>> pending = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            OutputStream target = single;
            if (target == null) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                buffers.add(buffer);
                target = buffer;
            }
            ResponseWriter writer = new ResponseWriter(target, include, protocol);
            writers.add(writer);
            pending.add(client.sendAsync(spdyRequest, writer));
        }
        try {
            int exit = ExitCodes.OK;
            for (SpdyResponse r : await(pending)) {
                if (r.status() >= 400) {
                    exit = ExitCodes.HTTP_ERROR;
                }
            }
            for (ResponseWriter w : writers) {
                if (w.failure() != null) {
                    throw new ToolException(ExitCodes.USAGE, "cannot write " + (output != null ? output
                            : "to standard output") + ": " + w.failure().getMessage());
                }
            }
            for (ByteArrayOutputStream buffer : buffers) {
                buffer.writeTo(tool.out());
            }
            return exit;
        } catch (IOException e) {
            throw new ToolException(ExitCodes.USAGE, "cannot write to standard output: " + e.getMessage());
        } finally {
            closeOutput(single);
        }
    }

    private OutputStream openOutput() {
        if (output == null) {
            return tool.out();
        }
        try {
            return new BufferedOutputStream(Files.newOutputStream(output));
        } catch (IOException e) {
            throw new ToolException(ExitCodes.USAGE, "cannot write " + output + ": " + e.getMessage());
        }
    }

    private void closeOutput(OutputStream out) {
        try {
            if (out == tool.out()) {
                out.flush();
            } else if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            throw new ToolException(ExitCodes.USAGE, "cannot write " + output + ": " + e.getMessage());
        }
    }

    private List<SpdyResponse> await(List<CompletableFuture<SpdyResponse>> pending) throws InterruptedException {
        long deadline = maxTimeSeconds == null ? Long.MAX_VALUE
                : System.nanoTime() + (long) (maxTimeSeconds * 1e9);
        List<SpdyResponse> responses = new ArrayList<>();
        for (CompletableFuture<SpdyResponse> f : pending) {
            try {
                if (deadline == Long.MAX_VALUE) {
                    responses.add(f.get());
                } else {
                    responses.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                }
            } catch (ExecutionException e) {
                throw Failures.exchangeFailed(e);
            } catch (TimeoutException e) {
                throw new ToolException(ExitCodes.EXCHANGE_FAILED,
                        "no complete response within " + maxTimeSeconds + " s (--max-time)");
            }
        }
        return responses;
    }
}
