package io.spdyconnector.protocol.flow;

/**
 * A send window (SPEC §2.6.8): signed, because a smaller SETTINGS_INITIAL_WINDOW_SIZE can drive it
 * below zero, and bounded above by 2^31-1, whose overflow is an error the caller must raise.
 */
public final class FlowWindow {
    /** SPEC §2.6.8: a window never exceeds 2^31-1. */
    public static final long MAX = Integer.MAX_VALUE;

    private long size;

    public FlowWindow(long initial) {
        size = initial;
    }

    public long size() {
        return size;
    }

    /** Adds {@code delta}; returns false, leaving the window unchanged, if it would pass 2^31-1. */
    public boolean grow(long delta) {
        long next = size + delta;
        if (next > MAX) {
            return false;
        }
        size = next;
        return true;
    }

    public void consume(int bytes) {
        size -= bytes;
    }

    /** Bytes that may be sent now, never negative. */
    public int available() {
        return size <= 0 ? 0 : (int) size;
    }
}
