package io.spdyconnector.tools.get;

import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.session.FrameObserver;

import java.io.PrintStream;

/**
 * {@code spdy get -v}: one line per frame, {@code >} for frames sent and {@code <} for frames
 * received, in the engine's own frame notation, plus {@code *} lines about the connection. Frames
 * are seen on the client's I/O thread and on the caller's, so lines are written whole under a lock.
 */
final class FrameTrace implements FrameObserver {
    private final PrintStream err;

    FrameTrace(PrintStream err) {
        this.err = err;
    }

    @Override
    public void inbound(Frame frame) {
        line("< " + frame);
    }

    @Override
    public void outbound(Frame frame) {
        line("> " + frame);
    }

    void note(String text) {
        line("* " + text);
    }

    private void line(String text) {
        synchronized (err) {
            err.println(text);
        }
    }
}
