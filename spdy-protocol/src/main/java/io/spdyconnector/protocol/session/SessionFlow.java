package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.flow.FlowWindow;
import io.spdyconnector.protocol.flow.ReceiveWindow;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;

/**
 * The session-wide half of flow control, which differs by version: SPDY/3.1 has a session window
 * each way (SPEC §2.6.8), SPDY/3 has none, and SPDY/2, without any window, counts the DATA the
 * application holds so that the transport stops reading past a limit (see {@link HeldInput}).
 * Guarded by the session lock.
 */
final class SessionFlow {
    /** SPEC §2.6.8: every window starts at 64 KiB. */
    private static final int INITIAL = 65536;

    private final SpdySession session;
    private final FlowWindow sendWindow = new FlowWindow(INITIAL);
    private final ReceiveWindow receiveWindow = new ReceiveWindow(INITIAL);
    private final HeldInput held;

    SessionFlow(SpdySession session, int windowSize) {
        this.session = session;
        this.held = new HeldInput(windowSize);
    }

    /** SPDY/3.1: the WINDOW_UPDATE that grows the receive window to the configured size, or null. */
    WindowUpdateFrame openingUpdate(int windowSize) {
        if (!session.version.hasSessionFlowControl()) {
            return null;
        }
        int delta = receiveWindow.resize(windowSize);
        return delta > 0 ? new WindowUpdateFrame(0, delta) : null;
    }

    /** A DATA frame of {@code length} bytes begins, for any stream; false if it overflows the session window. */
    boolean received(int length) {
        return !session.version.hasSessionFlowControl() || receiveWindow.receive(length);
    }

    /**
     * SPDY/2: DATA bytes handed to the application, which it consumes later. Counted as they are
     * delivered, not when a frame announces them: a 3 MB frame must not stop reading before its
     * first bytes could be consumed.
     */
    void delivered(int bytes) {
        if (!session.version.hasFlowControl()) {
            held.received(bytes);
        }
    }

    /** A DATA frame in error, never delivered: its bytes still count against the session window (SPEC §2.6.8). */
    void discarded(int length) {
        if (session.version.hasSessionFlowControl()) {
            consumed(length);
        }
    }

    /** The application used (or dropped) {@code bytes} of DATA: credit for the peer, or input resumes. */
    void consumed(int bytes) {
        if (bytes <= 0) {
            return;
        }
        if (!session.version.hasFlowControl()) {
            if (held.consumed(bytes)) {
                session.defer(session.listener::onInputResumed);
            }
        } else if (session.version.hasSessionFlowControl()) {
            int delta = receiveWindow.consumed(bytes);
            if (delta > 0) {
                session.enqueueControl(new WindowUpdateFrame(0, delta));
            }
        }
    }

    /** Whether the transport should read on: false only for SPDY/2 holding too much. */
    boolean wantsInput() {
        return session.version.hasFlowControl() || held.wantsInput();
    }

    /** Bytes the session window lets this side send now. */
    int sendAvailable() {
        return session.version.hasSessionFlowControl() ? sendWindow.available() : Integer.MAX_VALUE;
    }

    void sent(int bytes) {
        if (session.version.hasSessionFlowControl()) {
            sendWindow.consume(bytes);
        }
    }

    /** The peer's WINDOW_UPDATE on stream 0; false if it takes the window above 2^31-1. */
    boolean grow(int delta) {
        return sendWindow.grow(delta);
    }

    boolean canSend() {
        return sendWindow.size() > 0;
    }
}
