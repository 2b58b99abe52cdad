package io.spdyconnector.protocol.frame;

import io.spdyconnector.protocol.headers.HeaderBlock;

/** SYN_STREAM (SPEC §2.6.1). Priority 0 is the highest, 7 the lowest; the slot is unused in 3.1. */
public record SynStreamFrame(int streamId, int associatedStreamId, int priority, int slot, boolean fin,
        boolean unidirectional, HeaderBlock headers) implements Frame {
    @Override
    public FrameType type() {
        return FrameType.SYN_STREAM;
    }

    @Override
    public String toString() {
        return "SYN_STREAM #" + streamId + (associatedStreamId != 0 ? " assoc=" + associatedStreamId : "")
                + " pri=" + priority + (fin ? " fin" : "") + (unidirectional ? " uni" : "") + " " + headers;
    }
}
