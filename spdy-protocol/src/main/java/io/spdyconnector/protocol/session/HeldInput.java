package io.spdyconnector.protocol.session;

/**
 * SPDY/2's stand-in for flow control: the DATA bytes received and not yet consumed, which no
 * window bounds. Past {@code limit} the transport is asked to stop reading, so TCP holds the peer
 * back; consuming back under the limit asks it to resume, once. Guarded by the session lock.
 */
final class HeldInput {
    private final int limit;
    private long held;
    private boolean paused;

    HeldInput(int limit) {
        this.limit = limit;
    }

    /** Bytes handed to the application. */
    void received(int bytes) {
        held += bytes;
    }

    /** Whether reading should go on; a "no" is remembered so that {@link #consumed} can say when to resume. */
    boolean wantsInput() {
        if (held >= limit) {
            paused = true;
            return false;
        }
        return true;
    }

    /** True when this brought a paused session back under the limit: time to read again. */
    boolean consumed(int bytes) {
        held -= bytes;
        if (paused && held < limit) {
            paused = false;
            return true;
        }
        return false;
    }
}
