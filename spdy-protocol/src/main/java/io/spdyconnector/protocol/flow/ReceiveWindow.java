package io.spdyconnector.protocol.flow;

/**
 * The receiving side of a window: what the peer may still send, and the credit the application has
 * returned but the peer has not been told about yet. Credit is announced once half the window has
 * been consumed (the practice of Jetty, OkHttp and spdy-transport), so a slow reader throttles the
 * sender and nothing is buffered past the window.
 */
public final class ReceiveWindow {
    private int window;
    private int target;
    private int unannounced;

    public ReceiveWindow(int initial) {
        window = initial;
        target = initial;
    }

    /** Accounts a received DATA frame; false when it exceeds the window (a flow-control error). */
    public boolean receive(int length) {
        window -= length;
        return window >= 0;
    }

    /**
     * Returns {@code bytes} of credit; the delta to announce in a WINDOW_UPDATE, or 0 while less
     * than half the window is outstanding.
     */
    public int consumed(int bytes) {
        unannounced += bytes;
        if (unannounced > 0 && unannounced >= target / 2) {
            int delta = unannounced;
            unannounced = 0;
            window += delta;
            return delta;
        }
        return 0;
    }

    /** Opens the window to a new size right away, as at session start; returns the delta to announce. */
    public int resize(int size) {
        int delta = size - target;
        target = size;
        window += delta;
        return delta;
    }

    public int size() {
        return window;
    }
}
