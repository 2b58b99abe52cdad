package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.frame.Frame;

/**
 * Sees every frame a session receives and sends, as values: the basis of frame traces in tests,
 * of {@code -v} in tools, and of the debug log. Frames are only built when an observer is set.
 */
public interface FrameObserver {
    void inbound(Frame frame);

    void outbound(Frame frame);
}
