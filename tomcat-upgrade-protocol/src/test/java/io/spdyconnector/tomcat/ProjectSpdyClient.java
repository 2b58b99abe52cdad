package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyExchange;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.SpdyVersion;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@link SpdyTestClient} over the project's own {@link SpdyClient}. */
final class ProjectSpdyClient implements SpdyTestClient {
    final SpdyClient client;
    private final String name;

    ProjectSpdyClient() {
        this(builder().build(), "SpdyClient");
    }

    /** With {@code -Dspdy.trace=true} every frame is printed, for a failing test's report. */
    static SpdyClient.Builder builder() {
        SpdyClient.Builder b = SpdyClient.builder().insecure();
        if (Boolean.getBoolean("spdy.trace")) {
            b.frameObserver(new io.spdyconnector.protocol.session.FrameObserver() {
                @Override
                public void inbound(io.spdyconnector.protocol.frame.Frame frame) {
                    System.out.println(System.nanoTime() / 1000000 + " << " + frame);
                }

                @Override
                public void outbound(io.spdyconnector.protocol.frame.Frame frame) {
                    System.out.println(System.nanoTime() / 1000000 + " >> " + frame);
                }
            });
        }
        return b;
    }

    ProjectSpdyClient(SpdyClient client, String name) {
        this.client = client;
        this.name = name;
    }

    /** A client that offers only SPDY/3 by ALPN. */
    static ProjectSpdyClient spdy3() {
        return new ProjectSpdyClient(SpdyClient.builder().insecure().versions(SpdyVersion.SPDY_3)
                .plainVersion(SpdyVersion.SPDY_3).build(), "SpdyClient spdy/3");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Reply> send(Req req) {
        SpdyRequest.Builder b = SpdyRequest.newBuilder(req.url()).method(req.method());
        for (String[] h : req.headers()) {
            b.header(h[0], h[1]);
        }
        HeaderBlock trailers = null;
        if (!req.trailers().isEmpty()) {
            trailers = new HeaderBlock();
            for (Map.Entry<String, String> t : req.trailers().entrySet()) {
                trailers.add(t.getKey(), t.getValue());
            }
        }
        if (req.streamed()) {
            SpdyExchange exchange = client.exchange(b.streamingBody().build(), null);
            byte[] body = req.body() == null ? new byte[0] : req.body();
            CompletableFuture<Void> written = CompletableFuture.completedFuture(null);
            for (int off = 0; off < body.length; off += 8192) {
                ByteBuffer piece = ByteBuffer.wrap(body, off, Math.min(8192, body.length - off));
                written = written.thenCompose(v -> exchange.write(piece));
            }
            HeaderBlock t = trailers;
            written.thenCompose(v -> t == null ? exchange.end() : exchange.end(t));
            return exchange.response().thenApply(ProjectSpdyClient::reply);
        }
        if (req.body() != null) {
            b.body(req.body());
        }
        if (trailers != null) {
            b.trailers(trailers);
        }
        return client.sendAsync(b.build()).thenApply(ProjectSpdyClient::reply);
    }

    static Reply reply(SpdyResponse r) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        r.headers().forEach((n, v) -> headers.computeIfAbsent(n, k -> new ArrayList<>()).add(v));
        Map<String, String> trailers = new LinkedHashMap<>();
        r.trailers().forEach(trailers::put);
        return new Reply(r.status(), r.header(":status"), headers, r.body(), trailers);
    }

    @Override
    public void close() {
        client.close();
    }
}
