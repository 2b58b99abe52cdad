package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.headers.CompressionPolicy;

import java.util.function.LongSupplier;

/**
 * Every limit of a session in one immutable object; the defaults follow the servers studied in
 * the reliability notes (Tomcat, nginx, Jetty, Netty). Containers expose each as a setting.
 */
public final class SessionConfig {
    /** SPEC §2.2.1: control frames of at least 8192 bytes must be accepted. */
    public static final int MIN_CONTROL_FRAME_LENGTH = 8192;

    private static final SessionConfig DEFAULTS = builder().build();

    private final int maxConcurrentStreams;
    private final int initialWindowSize;
    private final int sessionWindowSize;
    private final int maxControlFrameLength;
    private final int maxHeaderBytes;
    private final int headerInflateLimit;
    private final int maxHeaderCount;
    private final CompressionPolicy compressionPolicy;
    private final int maxDataFrameLength;
    private final int maxOutputBatchBytes;
    private final int maxQueuedControlFrames;
    private final int maxStreamsPerSession;
    private final int minResponseDataRate;
    private final int dataRateWindow;
    private final AbuseLimits abuseLimits;
    private final boolean releaseCompressionWhenIdle;
    private final FrameObserver frameObserver;
    private final LongSupplier nanoClock;

    private SessionConfig(Builder b) {
        maxConcurrentStreams = positive("maxConcurrentStreams", b.maxConcurrentStreams);
        initialWindowSize = positive("initialWindowSize", b.initialWindowSize);
        sessionWindowSize = positive("sessionWindowSize", b.sessionWindowSize);
        if (b.maxControlFrameLength < MIN_CONTROL_FRAME_LENGTH || b.maxControlFrameLength > 0xFFFFFF) {
            throw new IllegalArgumentException("maxControlFrameLength must be 8192 .. 16777215: " + b.maxControlFrameLength);
        }
        maxControlFrameLength = b.maxControlFrameLength;
        maxHeaderBytes = positive("maxHeaderBytes", b.maxHeaderBytes);
        headerInflateLimit = positive("headerInflateLimit", b.headerInflateLimit);
        maxHeaderCount = positive("maxHeaderCount", b.maxHeaderCount);
        compressionPolicy = b.compressionPolicy;
        if (b.maxDataFrameLength < 1 || b.maxDataFrameLength > 0xFFFFFF) {
            throw new IllegalArgumentException("maxDataFrameLength must be 1 .. 16777215: " + b.maxDataFrameLength);
        }
        maxDataFrameLength = b.maxDataFrameLength;
        maxOutputBatchBytes = positive("maxOutputBatchBytes", b.maxOutputBatchBytes);
        maxQueuedControlFrames = positive("maxQueuedControlFrames", b.maxQueuedControlFrames);
        if (b.maxStreamsPerSession < 0) {
            throw new IllegalArgumentException("maxStreamsPerSession must be 0 (no limit) or positive: "
                    + b.maxStreamsPerSession);
        }
        maxStreamsPerSession = b.maxStreamsPerSession;
        if (b.minResponseDataRate < 0) {
            throw new IllegalArgumentException("minResponseDataRate must be 0 (off) or positive: " + b.minResponseDataRate);
        }
        minResponseDataRate = b.minResponseDataRate;
        dataRateWindow = positive("dataRateWindow", b.dataRateWindow);
        abuseLimits = b.abuseLimits;
        releaseCompressionWhenIdle = b.releaseCompressionWhenIdle;
        frameObserver = b.frameObserver;
        nanoClock = b.nanoClock;
    }

    private static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    public static SessionConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxConcurrentStreams = maxConcurrentStreams;
        b.initialWindowSize = initialWindowSize;
        b.sessionWindowSize = sessionWindowSize;
        b.maxControlFrameLength = maxControlFrameLength;
        b.maxHeaderBytes = maxHeaderBytes;
        b.headerInflateLimit = headerInflateLimit;
        b.maxHeaderCount = maxHeaderCount;
        b.compressionPolicy = compressionPolicy;
        b.maxDataFrameLength = maxDataFrameLength;
        b.maxOutputBatchBytes = maxOutputBatchBytes;
        b.maxQueuedControlFrames = maxQueuedControlFrames;
        b.maxStreamsPerSession = maxStreamsPerSession;
        b.minResponseDataRate = minResponseDataRate;
        b.dataRateWindow = dataRateWindow;
        b.abuseLimits = abuseLimits;
        b.releaseCompressionWhenIdle = releaseCompressionWhenIdle;
        b.frameObserver = frameObserver;
        b.nanoClock = nanoClock;
        return b;
    }

    /** Streams the peer may have open at once, advertised as SETTINGS_MAX_CONCURRENT_STREAMS. */
    public int maxConcurrentStreams() {
        return maxConcurrentStreams;
    }

    /** This side's receive window per stream, advertised as SETTINGS_INITIAL_WINDOW_SIZE. */
    public int initialWindowSize() {
        return initialWindowSize;
    }

    /** This side's session receive window (SPDY/3.1), opened with a WINDOW_UPDATE on stream 0. */
    public int sessionWindowSize() {
        return sessionWindowSize;
    }

    /** Largest control frame accepted; longer ones end the session before their payload is read. */
    public int maxControlFrameLength() {
        return maxControlFrameLength;
    }

    /** Header bytes (8 + name + value per pair) one stream may retain over all its header blocks. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** Inflated bytes one header block may produce before the session is ended (zip-bomb cap). */
    public int headerInflateLimit() {
        return headerInflateLimit;
    }

    /** Pairs one header block may carry. */
    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    public CompressionPolicy compressionPolicy() {
        return compressionPolicy;
    }

    /** Largest DATA frame sent; larger writes are split so streams interleave. */
    public int maxDataFrameLength() {
        return maxDataFrameLength;
    }

    /**
     * Bytes one {@link SpdySession#pollOutput()} batch may hold at the most: the session's output
     * cap. A batch starts at 64 KiB (or this, if smaller) and grows towards it only while the
     * transport reports that the socket took each full batch in one write.
     */
    public int maxOutputBatchBytes() {
        return maxOutputBatchBytes;
    }

    /** Control frames (echoes, resets, updates) that may wait for the transport before the session fails. */
    public int maxQueuedControlFrames() {
        return maxQueuedControlFrames;
    }

    /**
     * Streams the peer may open over the session's life (default 1000, nginx's value; 0: no
     * limit): the last one admitted is followed by GOAWAY(OK), so long-lived clients move to a new
     * connection well before stream ids or per-connection state could matter (nginx's
     * {@code keepalive_requests}). Every admitted stream finishes; a client sends what the server
     * ignored again on its next connection, as SPDY clients do on any GOAWAY.
     */
    public int maxStreamsPerSession() {
        return maxStreamsPerSession;
    }

    /**
     * Bytes per second the peer must take from the socket, on average over each
     * {@link #dataRateWindow()}, while the session has output waiting for it (0: no minimum). A
     * reader that trickles (1 byte a second) keeps the socket's write timeout from firing for ever;
     * this rule ends its connection instead (see {@link SpdySession#checkOutputRate()}). A client
     * that stops a stream with its SPDY window is not measured: no output waits for the socket then.
     */
    public int minResponseDataRate() {
        return minResponseDataRate;
    }

    /** Milliseconds over which {@link #minResponseDataRate()} is averaged; the first window is the grace. */
    public int dataRateWindow() {
        return dataRateWindow;
    }

    public AbuseLimits abuseLimits() {
        return abuseLimits;
    }

    /** Whether idle sessions end their native zlib state, keeping only the window history. */
    public boolean releaseCompressionWhenIdle() {
        return releaseCompressionWhenIdle;
    }

    public FrameObserver frameObserver() {
        return frameObserver;
    }

    public LongSupplier nanoClock() {
        return nanoClock;
    }

    /** Builder with the defaults filled in. */
    public static final class Builder {
        private int maxConcurrentStreams = 100;
        private int initialWindowSize = 65536;
        private int sessionWindowSize = 1 << 20;
        private int maxControlFrameLength = 65536;
        private int maxHeaderBytes = 16384;
        private int headerInflateLimit = 131072;
        private int maxHeaderCount = 100;
        private CompressionPolicy compressionPolicy = CompressionPolicy.NONE;
        private int maxDataFrameLength = 16384;
        private int maxOutputBatchBytes = 1 << 20;
        private int maxQueuedControlFrames = 1000;
        private int maxStreamsPerSession = 1000;
        private int minResponseDataRate = 1024;
        private int dataRateWindow = 10_000;
        private AbuseLimits abuseLimits = AbuseLimits.defaults();
        private boolean releaseCompressionWhenIdle = true;
        private FrameObserver frameObserver;
        private LongSupplier nanoClock = System::nanoTime;

        private Builder() {
        }

        public Builder maxConcurrentStreams(int v) {
            maxConcurrentStreams = v;
            return this;
        }

        public Builder initialWindowSize(int v) {
            initialWindowSize = v;
            return this;
        }

        public Builder sessionWindowSize(int v) {
            sessionWindowSize = v;
            return this;
        }

        public Builder maxControlFrameLength(int v) {
            maxControlFrameLength = v;
            return this;
        }

        public Builder maxHeaderBytes(int v) {
            maxHeaderBytes = v;
            return this;
        }

        public Builder headerInflateLimit(int v) {
            headerInflateLimit = v;
            return this;
        }

        public Builder maxHeaderCount(int v) {
            maxHeaderCount = v;
            return this;
        }

        public Builder compressionPolicy(CompressionPolicy v) {
            compressionPolicy = java.util.Objects.requireNonNull(v);
            return this;
        }

        public Builder maxDataFrameLength(int v) {
            maxDataFrameLength = v;
            return this;
        }

        public Builder maxOutputBatchBytes(int v) {
            maxOutputBatchBytes = v;
            return this;
        }

        public Builder maxQueuedControlFrames(int v) {
            maxQueuedControlFrames = v;
            return this;
        }

        public Builder maxStreamsPerSession(int v) {
            maxStreamsPerSession = v;
            return this;
        }

        public Builder minResponseDataRate(int v) {
            minResponseDataRate = v;
            return this;
        }

        public Builder dataRateWindow(int v) {
            dataRateWindow = v;
            return this;
        }

        public Builder abuseLimits(AbuseLimits v) {
            abuseLimits = java.util.Objects.requireNonNull(v);
            return this;
        }

        public Builder releaseCompressionWhenIdle(boolean v) {
            releaseCompressionWhenIdle = v;
            return this;
        }

        public Builder frameObserver(FrameObserver v) {
            frameObserver = v;
            return this;
        }

        public Builder nanoClock(LongSupplier v) {
            nanoClock = java.util.Objects.requireNonNull(v);
            return this;
        }

        public SessionConfig build() {
            return new SessionConfig(this);
        }
    }
}
