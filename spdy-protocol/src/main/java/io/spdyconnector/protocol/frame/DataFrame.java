package io.spdyconnector.protocol.frame;

import java.nio.ByteBuffer;

/** DATA (SPEC §2.2.2). The payload is a view: the frame never owns a copy. */
public record DataFrame(int streamId, ByteBuffer data, boolean fin) implements Frame {
    @Override
    public FrameType type() {
        return FrameType.DATA;
    }

    @Override
    public String toString() {
        return "DATA #" + streamId + " len=" + data.remaining() + (fin ? " fin" : "");
    }
}
