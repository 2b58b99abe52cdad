package io.spdyconnector.protocol.frame;

import io.spdyconnector.protocol.headers.HeaderBlock;

/** SYN_REPLY (SPEC §2.6.2). */
public record SynReplyFrame(int streamId, boolean fin, HeaderBlock headers) implements Frame {
    @Override
    public FrameType type() {
        return FrameType.SYN_REPLY;
    }

    @Override
    public String toString() {
        return "SYN_REPLY #" + streamId + (fin ? " fin" : "") + " " + headers;
    }
}
