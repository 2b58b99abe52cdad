package io.spdyconnector.tomcat;

import java.util.concurrent.TimeUnit;

/**
 * The minimum request data rate of one stream. While the application waits for the body (blocked
 * in a read, or with read interest after {@code isReady()} said false), the client must send at
 * least {@code minBytesPerSecond}, averaged over each window of that waiting. Time the application
 * spends elsewhere is not measured, so a servlet slow to read never makes its client look slow.
 * The stream's own window is open while its servlet waits (what it read was credited), but the
 * session's may not be, when other streams hold unread bodies: with many slow servlets on one
 * session a client can be measured while the server holds it back, so set the rate well below
 * what clients send. Nothing is checked before one window of waiting has passed. Guarded by the input buffer's lock.
 */
final class RequestDataRate {
    private final long minBytesPerSecond;
    private final long windowNanos;
    /** When the application began waiting, or -1 while it is not waiting. */
    private long waitingSince = -1;
    /** Waiting in this window before {@link #waitingSince}. */
    private long waited;
    /** Bytes that arrived in this window. */
    private long arrived;

    RequestDataRate(int minBytesPerSecond, int windowMillis) {
        this.minBytesPerSecond = minBytesPerSecond;
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
    }

    boolean isOn() {
        return minBytesPerSecond > 0;
    }

    void arrived(int bytes) {
        arrived += bytes;
    }

    void waiting(long now) {
        if (waitingSince < 0) {
            waitingSince = now;
        }
    }

    void stoppedWaiting(long now) {
        if (waitingSince >= 0) {
            waited += now - waitingSince;
            waitingSince = -1;
        }
    }

    /** How long a reader may wait before the next {@link #check}: the rest of the window. */
    long nanosToCheck(long now) {
        if (!isOn()) {
            return Long.MAX_VALUE;
        }
        return Math.max(1, windowNanos - waitedUntil(now));
    }

    /** Why the client is too slow, or null; a full window that passes starts the next one. */
    String check(long now) {
        if (!isOn()) {
            return null;
        }
        long total = waitedUntil(now);
        if (total < windowNanos) {
            return null;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(total);
        if (arrived * 1000 < minBytesPerSecond * millis) {
            return "the client sent " + arrived + " bytes of request body in " + millis
                    + " ms of waiting, below the minimum of " + minBytesPerSecond + " bytes/s";
        }
        waited = 0;
        arrived = 0;
        if (waitingSince >= 0) {
            waitingSince = now;
        }
        return null;
    }

    private long waitedUntil(long now) {
        return waited + (waitingSince >= 0 ? now - waitingSince : 0);
    }
}
