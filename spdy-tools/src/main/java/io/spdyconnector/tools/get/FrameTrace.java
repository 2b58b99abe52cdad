package io.spdyconnector.tools.get;

import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.session.FrameObserver;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code spdy get -v}: one line per frame, {@code >} for frames sent and {@code <} for frames
 * received, in the engine's own frame notation, plus {@code *} lines about the connection. Frames
 * are seen on the client's I/O thread and on the caller's, so lines are written whole under a lock.
 * Without {@code -v} it prints nothing and only counts the frames received: none at all means the
 * peer never spoke SPDY, which is worth saying when the exchange fails.
 */
final class FrameTrace implements FrameObserver {
    private final PrintStream err;
    private final AtomicInteger inbound = new AtomicInteger();

    /** Prints to {@code err}, or only counts with null. */
    FrameTrace(PrintStream err) {
        this.err = err;
    }

    @Override
    public void inbound(Frame frame) {
        inbound.incrementAndGet();
        line("< " + frame);
    }

    @Override
    public void outbound(Frame frame) {
        line("> " + frame);
    }

    void note(String text) {
        line("* " + text);
    }

    /** Whether any frame came from the peer. */
    boolean heardFromPeer() {
        return inbound.get() > 0;
    }

    private void line(String text) {
        if (err == null) {
            return;
        }
        synchronized (err) {
            err.println(text);
        }
    }
}
