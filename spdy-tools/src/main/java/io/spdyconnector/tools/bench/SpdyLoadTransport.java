package io.spdyconnector.tools.bench;

import io.spdyconnector.protocol.client.ResponseListener;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyConnection;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.tools.Failures;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code --proto spdy}: one SPDY session per {@code -c}, each carrying {@code -m} streams, through
 * the project's client. Sessions are opened outside the client's pool ({@link SpdyClient#newConnection})
 * because the pool keeps one session per origin. Bodies are counted and released as they arrive,
 * never collected, so the client's memory and the flow-control windows behave as for a real consumer.
 */
final class SpdyLoadTransport implements LoadTransport {
    private final SpdyClient client;
    private final URI uri;
    private final SpdyRequest request;
    private final int sessions;
    private final int streams;
    private final Duration connectTimeout;
    private final List<SpdyConnection> connections = new ArrayList<>();

    SpdyLoadTransport(SpdyClient.Builder builder, URI uri, SpdyRequest request, int sessions, int streams,
            Duration connectTimeout) {
        int threads = Math.max(1, Math.min(sessions, Runtime.getRuntime().availableProcessors()));
        this.client = builder.ioThreads(threads).maxRetries(0).build();
        this.uri = uri;
        this.request = request;
        this.sessions = sessions;
        this.streams = streams;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public void connect() throws InterruptedException {
        List<CompletableFuture<SpdyConnection>> opening = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            opening.add(client.newConnection(uri));
        }
        for (CompletableFuture<SpdyConnection> f : opening) {
            try {
                connections.add(f.get(connectTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS));
            } catch (ExecutionException | TimeoutException e) {
                throw Failures.connectFailed(uri, e);
            }
        }
    }

    @Override
    public String protocol() {
        return connections.isEmpty() ? "spdy" : connections.get(0).version().protocolName();
    }

    @Override
    public int connections() {
        return connections.size();
    }

    @Override
    public int slots() {
        return sessions * streams;
    }

    @Override
    public void send(int slot, Completion done) {
        SpdyConnection connection = connections.get(slot % connections.size());
        BodyCounter body = new BodyCounter();
        connection.exchange(request, body).response().whenComplete((response, failure) ->
                done.completed(response == null ? 0 : response.status(), body.bytes, failure));
    }

    @Override
    public void close() {
        client.close();
    }

    /** Counts body bytes and gives the window back at once. Runs on the session's I/O thread only. */
    private static final class BodyCounter implements ResponseListener {
        long bytes;

        @Override
        public void onData(ByteBuffer data, Runnable release) {
            bytes += data.remaining();
            release.run();
        }
    }
}
