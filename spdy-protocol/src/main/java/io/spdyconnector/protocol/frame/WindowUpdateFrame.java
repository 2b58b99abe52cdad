package io.spdyconnector.protocol.frame;

/** WINDOW_UPDATE (SPEC §2.6.8); stream 0 is the session window (SPDY/3.1 only). */
public record WindowUpdateFrame(int streamId, int delta) implements Frame {
    @Override
    public FrameType type() {
        return FrameType.WINDOW_UPDATE;
    }

    @Override
    public String toString() {
        return "WINDOW_UPDATE #" + streamId + " +" + delta;
    }
}
