package io.spdyconnector.protocol.client;

import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.session.FrameObserver;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SpdyVersion;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SPDY/3.1 and SPDY/3 client: plain TCP with prior knowledge ({@code http://} URIs) or TLS with
 * ALPN ({@code https://}), one session per origin carrying any number of concurrent streams.
 *
 * <pre>{@code
 * try (SpdyClient client = SpdyClient.create()) {
 *     SpdyResponse r = client.send(SpdyRequest.get("http://localhost:8080/hello"));
 *     System.out.println(r.status() + " " + r.bodyAsString());
 * }
 * }</pre>
 *
 * Requests with a fixed body that the server did not process (REFUSED_STREAM, or above a GOAWAY's
 * last-good id) are sent again on a new session without the caller noticing.
 */
public final class SpdyClient implements AutoCloseable {
    private final SessionConfig sessionConfig;
    private final SSLContext sslContext;
    private final boolean verifyHostname;
    private final String[] alpn;
    private final SpdyVersion plainVersion;
    private final Duration connectTimeout;
    private final Duration closeTimeout;
    private final int maxRetries;
    private final String userAgent;
    private final ClientEventLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final ScheduledExecutorService timer;
    private final Map<Origin, CompletableFuture<SpdyConnection>> pool = new ConcurrentHashMap<>();
    private final Map<SpdyConnection, Boolean> all = new ConcurrentHashMap<>();
    private final Map<Origin, Map<Integer, Integer>> persisted = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private SpdyClient(Builder b) throws IOException {
        SessionConfig.Builder config = b.sessionConfig.toBuilder();
        if (b.frameObserver != null) {
            config.frameObserver(b.frameObserver);
        }
        sessionConfig = config.build();
        sslContext = b.sslContext;
        verifyHostname = b.verifyHostname;
        alpn = b.versions.stream().map(SpdyVersion::protocolName).toArray(String[]::new);
        plainVersion = b.plainVersion;
        connectTimeout = b.connectTimeout;
        closeTimeout = b.closeTimeout;
        maxRetries = b.maxRetries;
        userAgent = b.userAgent;
        loops = new ClientEventLoop[b.ioThreads];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new ClientEventLoop("spdy-client-" + i);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spdy-client-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** A client with the defaults: SPDY/3.1 then SPDY/3 over ALPN, SPDY/3.1 in plain mode. */
    public static SpdyClient create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sends a request and waits for the whole response. */
    public SpdyResponse send(SpdyRequest request) throws IOException, InterruptedException {
        return await(sendAsync(request));
    }

    /** Sends a request; the future completes with the whole response. */
    public CompletableFuture<SpdyResponse> sendAsync(SpdyRequest request) {
        return sendAsync(request, null);
    }

    /** Sends a request, streaming the response to {@code listener}; the future completes at its end. */
    public CompletableFuture<SpdyResponse> sendAsync(SpdyRequest request, ResponseListener listener) {
        if (request.isStreaming()) {
            throw new IllegalArgumentException("use exchange() for a streaming request body");
        }
        CompletableFuture<SpdyResponse> result = new CompletableFuture<>();
        attempt(request, listener, 0, result);
        return result;
    }

    /** Starts an exchange whose request body is written piece by piece (not retried). */
    public SpdyExchange exchange(SpdyRequest request, ResponseListener listener) {
        SpdyExchange exchange = new SpdyExchange(request, listener);
        connect(request.uri()).whenComplete((connection, failure) -> {
            if (failure != null) {
                exchange.fail(unwrap(failure));
                return;
            }
            exchange.startOn(connection);
        });
        return exchange;
    }

    private void attempt(SpdyRequest request, ResponseListener listener, int tries,
            CompletableFuture<SpdyResponse> result) {
        connect(request.uri()).whenComplete((connection, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
                return;
            }
            SpdyExchange exchange = new SpdyExchange(request, listener);
            try {
                exchange.start(connection);
            } catch (IllegalStateException e) {
                // The session began closing since it was pooled: nothing was sent, so go again.
                removed(connection);
                retryOrFail(request, listener, tries, result, new IOException("session closed before the request", e));
                return;
            }
            exchange.response().whenComplete((response, error) -> {
                if (error == null) {
                    result.complete(response);
                } else if (isRetryable(error) && !exchange.delivered()) {
                    retryOrFail(request, listener, tries, result, error);
                } else {
                    result.completeExceptionally(unwrap(error));
                }
            });
        });
    }

    private void retryOrFail(SpdyRequest request, ResponseListener listener, int tries,
            CompletableFuture<SpdyResponse> result, Throwable error) {
        if (tries < maxRetries && request.isReplayable() && !closed) {
            attempt(request, listener, tries + 1, result);
        } else {
            result.completeExceptionally(unwrap(error));
        }
    }

    private static boolean isRetryable(Throwable error) {
        Throwable e = unwrap(error);
        return e instanceof SpdyStreamResetException && ((SpdyStreamResetException) e).isRetryable();
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** The pooled connection to the origin of {@code uri}, opening it if needed. */
    public CompletableFuture<SpdyConnection> connect(URI uri) {
        Origin origin = Origin.of(uri);
        while (true) {
            CompletableFuture<SpdyConnection> existing = pool.get(origin);
            if (existing != null) {
                if (!existing.isDone() || (!existing.isCompletedExceptionally() && existing.join().isOpen())) {
                    return existing;
                }
                pool.remove(origin, existing);
                continue;
            }
            CompletableFuture<SpdyConnection> created = new CompletableFuture<>();
            if (pool.putIfAbsent(origin, created) == null) {
                newConnection(uri).whenComplete((c, e) -> {
                    if (e != null) {
                        pool.remove(origin, created);
                        created.completeExceptionally(unwrap(e));
                    } else {
                        created.complete(c);
                    }
                });
                return created;
            }
        }
    }

    /** A new connection outside the pool: for tools that want several sessions to one origin. */
    public CompletableFuture<SpdyConnection> newConnection(URI uri) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("client is closed"));
        }
        Origin origin = Origin.of(uri);
        try {
            TlsLayer tls = origin.isSecure() ? new TlsLayer(newEngine(origin)) : null;
            ClientEventLoop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
            SpdyConnection connection = new SpdyConnection(this, origin, loop, SocketChannel.open(), tls);
            all.put(connection, Boolean.TRUE);
            CompletableFuture<SpdyConnection> f = connection.connect(new InetSocketAddress(origin.host(), origin.port()));
            timer.schedule(() -> {
                if (!f.isDone()) {
                    f.completeExceptionally(new ConnectException("connect to " + origin + " timed out after "
                            + connectTimeout.toMillis() + " ms"));
                    connection.close();
                }
            }, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return f;
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private SSLEngine newEngine(Origin origin) {
        SSLEngine engine = sslContext.createSSLEngine(origin.host(), origin.port());
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setApplicationProtocols(alpn);
        if (verifyHostname) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        engine.setSSLParameters(p);
        return engine;
    }

    SessionConfig sessionConfig() {
        return sessionConfig;
    }

    SpdyVersion plainVersion() {
        return plainVersion;
    }

    String userAgent() {
        return userAgent;
    }

    void removed(SpdyConnection connection) {
        pool.computeIfPresent(connection.origin(), (o, f) ->
                f.isDone() && !f.isCompletedExceptionally() && f.join() == connection ? null : f);
        connection.closedFuture().thenRun(() -> all.remove(connection));
    }

    /** SPEC §2.6.4: values the server asked to persist, returned on later sessions to the origin. */
    void persist(Origin origin, SettingsFrame settings) {
        if (settings.clearSettings()) {
            persisted.remove(origin);
        }
        for (Setting s : settings.settings()) {
            if (s.persistValue()) {
                persisted.computeIfAbsent(origin, o -> new TreeMap<>()).put(s.id(), s.value());
            }
        }
    }

    List<Setting> persistedSettings(Origin origin) {
        List<Setting> out = new ArrayList<>();
        Map<Integer, Integer> values = persisted.get(origin);
        if (values != null) {
            values.forEach((id, v) -> out.add(new Setting(Setting.FLAG_PERSISTED, id, v)));
        }
        return out;
    }

    /** Forgets persisted SETTINGS, as a client must when it clears cookies (SPEC §6.2). */
    public void clearPersistedSettings() {
        persisted.clear();
    }

    /** Closes gracefully: every session sends GOAWAY and finishes its streams, within the close timeout. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (SpdyConnection c : all.keySet()) {
            closing.add(c.closeGracefully());
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture[0]))
                    .get(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            all.keySet().forEach(SpdyConnection::close);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            all.keySet().forEach(SpdyConnection::close);
        }
        for (ClientEventLoop loop : loops) {
            loop.stop();
        }
        for (ClientEventLoop loop : loops) {
            try {
                loop.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdownNow();
    }

    private static <T> T await(CompletableFuture<T> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof UncheckedIOException) {
                throw ((UncheckedIOException) cause).getCause();
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IOException(cause);
        }
    }

    /** Configures a {@link SpdyClient}. */
    public static final class Builder {
        private SessionConfig sessionConfig = SessionConfig.defaults();
        private SSLContext sslContext;
        private boolean verifyHostname = true;
        private List<SpdyVersion> versions = List.of(SpdyVersion.SPDY_3_1, SpdyVersion.SPDY_3);
        private SpdyVersion plainVersion = SpdyVersion.SPDY_3_1;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private int maxRetries = 3;
        private int ioThreads = 1;
        private String userAgent = "spdy-connector-client";
        private FrameObserver frameObserver;

        private Builder() {
        }

        /** Limits, windows and compression policy of every session. */
        public Builder sessionConfig(SessionConfig config) {
            sessionConfig = Objects.requireNonNull(config);
            return this;
        }

        /** TLS context for https; the JDK default when not set. */
        public Builder sslContext(SSLContext context) {
            sslContext = Objects.requireNonNull(context);
            return this;
        }

        /** Trusts every certificate and skips host name checks: for tests and self-signed servers only. */
        public Builder insecure() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustAll()}, null);
                sslContext = context;
                verifyHostname = false;
                return this;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Protocols offered over ALPN, most preferred first. */
        public Builder versions(SpdyVersion... preferred) {
            versions = List.of(preferred);
            return this;
        }

        /** The protocol spoken on plain {@code http://} connections (prior knowledge). */
        public Builder plainVersion(SpdyVersion version) {
            plainVersion = Objects.requireNonNull(version);
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            connectTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** How long {@link SpdyClient#close()} waits for sessions to finish their streams. */
        public Builder closeTimeout(Duration timeout) {
            closeTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** How often a request the server did not process is sent again (default 3). */
        public Builder maxRetries(int retries) {
            maxRetries = retries;
            return this;
        }

        /** Selector threads (default 1); more help when driving thousands of sessions. */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("ioThreads must be positive");
            }
            ioThreads = threads;
            return this;
        }

        /** Sent when a request has no user-agent of its own; null sends none. */
        public Builder userAgent(String agent) {
            userAgent = agent;
            return this;
        }

        /** Sees every frame in and out, e.g. to print them. */
        public Builder frameObserver(FrameObserver observer) {
            frameObserver = observer;
            return this;
        }

        public SpdyClient build() {
            try {
                if (sslContext == null) {
                    sslContext = SSLContext.getDefault();
                }
                return new SpdyClient(this);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot create the client: " + e.getMessage(), e);
            }
        }
    }

    /** Accepts any certificate: {@link Builder#insecure()} only. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
