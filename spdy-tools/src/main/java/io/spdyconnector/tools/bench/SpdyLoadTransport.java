package io.spdyconnector.tools.bench;

import io.spdyconnector.protocol.client.ResponseListener;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyConnection;
import io.spdyconnector.protocol.client.SpdyExchange;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
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
 * because the pool keeps one session per origin. A session the server ends with GOAWAY (after its
 * {@code maxStreamsPerSession}, say) is replaced by a new one, and requests it did not process are
 * sent again there, as a browser does. Bodies are counted and released as they arrive, never
 * collected, so the client's memory and the flow-control windows behave as for a real consumer.
 */
final class SpdyLoadTransport implements LoadTransport {
    private final SpdyClient client;
    private final URI uri;
    private final SpdyRequest request;
    private final int sessions;
    private final int streams;
    private final Duration connectTimeout;
    /** Per session slot, the session in use or being opened. Guarded by this. */
    private final List<CompletableFuture<SpdyConnection>> connections = new ArrayList<>();
    private volatile String protocol = "spdy";

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
                SpdyConnection c = f.get(connectTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
                protocol = c.version().protocolName();
                synchronized (this) {
                    connections.add(CompletableFuture.completedFuture(c));
                }
            } catch (ExecutionException | TimeoutException e) {
                throw Failures.connectFailed(uri, e);
            }
        }
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public synchronized int connections() {
        return connections.size();
    }

    @Override
    public int slots() {
        return sessions * streams;
    }

    @Override
    public void send(int slot, Completion done) {
        send(slot, done, 1);
    }

    private void send(int slot, Completion done, int retries) {
        session(slot % sessions).whenComplete((connection, connectFailure) -> {
            if (connectFailure != null) {
                done.completed(0, 0, connectFailure);
                return;
            }
            BodyCounter body = new BodyCounter();
            SpdyExchange exchange = connection.exchange(request, body);
            exchange.response().whenComplete((response, failure) -> {
                if (failure != null && retries > 0 && notProcessed(failure) && body.bytes == 0) {
                    // Above the GOAWAY's last-good stream, or refused: the server never saw it.
                    send(slot, done, retries - 1);
                } else {
                    done.completed(response == null ? 0 : response.status(), body.bytes, failure);
                }
            });
        });
    }

    /** The session of index {@code i}, replaced by a new one once it takes no new streams. */
    private synchronized CompletableFuture<SpdyConnection> session(int i) {
        CompletableFuture<SpdyConnection> current = connections.get(i);
        if (current.isDone() && (current.isCompletedExceptionally() || !current.join().isOpen())) {
            current = client.newConnection(uri);
            connections.set(i, current);
        }
        return current;
    }

    private static boolean notProcessed(Throwable failure) {
        // Refused, above a GOAWAY's last-good stream, or never sent as the session began closing.
        Throwable t = Failures.unwrap(failure);
        return t instanceof SpdyStreamResetException && ((SpdyStreamResetException) t).isRetryable();
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
