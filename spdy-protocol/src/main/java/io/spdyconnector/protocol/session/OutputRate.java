package io.spdyconnector.protocol.session;

/**
 * How fast the peer takes the session's output while some waits for the socket: the minimum
 * response data rate. Measured over fixed windows of wall clock, the first of which is the grace;
 * time the transport is idle is not measured, so a client pausing a stream with its window, or a
 * servlet slow to produce, never counts against the peer. Guarded by the session lock.
 */
final class OutputRate {
    private final long minBytesPerSecond;
    private final long windowNanos;
    /** Start of the current window, or -1 while no batch waits for the transport. */
    private long windowStart = -1;
    /** Bytes the transport took in earlier batches of this busy period. */
    private long written;
    private long writtenAtWindowStart;
    private long inFlight;

    OutputRate(int minBytesPerSecond, int windowMillis) {
        this.minBytesPerSecond = minBytesPerSecond;
        this.windowNanos = windowMillis * 1_000_000L;
    }

    /** A batch of {@code bytes} was handed to the transport. */
    void batchStarted(long now, long bytes) {
        if (windowStart < 0) {
            windowStart = now;
            written = 0;
            writtenAtWindowStart = 0;
        }
        inFlight = bytes;
    }

    void batchWritten() {
        written += inFlight;
        inFlight = 0;
    }

    /** Nothing waits for the transport: the busy period ends. */
    void idle() {
        windowStart = -1;
    }

    /**
     * Checks the window that ended by {@code now}; {@code inFlightRemaining} is what the transport
     * has not yet taken of the batch in flight. Returns why the peer is too slow, or null.
     */
    String check(long now, long inFlightRemaining) {
        if (minBytesPerSecond <= 0 || windowStart < 0 || now - windowStart < windowNanos) {
            return null;
        }
        long progress = written + Math.max(0, inFlight - inFlightRemaining);
        long elapsedMillis = (now - windowStart) / 1_000_000L;
        long taken = progress - writtenAtWindowStart;
        if (taken * 1000 < minBytesPerSecond * elapsedMillis) {
            // Reported once: the transport closes the connection.
            windowStart = -1;
            return "the client took " + taken + " bytes in " + elapsedMillis + " ms, below the minimum of "
                    + minBytesPerSecond + " bytes/s";
        }
        windowStart = now;
        writtenAtWindowStart = progress;
        return null;
    }
}
