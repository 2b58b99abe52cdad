package io.spdyconnector.protocol.frame;

import io.spdyconnector.protocol.headers.HeaderBlock;

/** HEADERS (SPEC §2.6.7): more headers on an open stream; after DATA these are trailers. */
public record HeadersFrame(int streamId, boolean fin, HeaderBlock headers) implements Frame {
    @Override
    public FrameType type() {
        return FrameType.HEADERS;
    }

    @Override
    public String toString() {
        return "HEADERS #" + streamId + (fin ? " fin" : "") + " " + headers;
    }
}
