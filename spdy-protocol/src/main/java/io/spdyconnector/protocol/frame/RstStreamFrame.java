package io.spdyconnector.protocol.frame;

import io.spdyconnector.protocol.error.RstStatus;

/** RST_STREAM (SPEC §2.6.3). {@code code} keeps the wire value, even one {@link RstStatus} lacks. */
public record RstStreamFrame(int streamId, int code) implements Frame {
    public RstStreamFrame(int streamId, RstStatus status) {
        this(streamId, status.code());
    }

    public RstStatus status() {
        return RstStatus.of(code);
    }

    @Override
    public FrameType type() {
        return FrameType.RST_STREAM;
    }

    @Override
    public String toString() {
        RstStatus s = status();
        return "RST_STREAM #" + streamId + " " + (s == RstStatus.UNKNOWN ? "code=" + code : s.name());
    }
}
