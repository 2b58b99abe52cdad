package io.spdyconnector.protocol.frame;

import io.spdyconnector.protocol.error.GoAwayStatus;

/** GOAWAY (SPEC §2.6.6). */
public record GoAwayFrame(int lastGoodStreamId, int code) implements Frame {
    public GoAwayFrame(int lastGoodStreamId, GoAwayStatus status) {
        this(lastGoodStreamId, status.code());
    }

    public GoAwayStatus status() {
        return GoAwayStatus.of(code);
    }

    @Override
    public FrameType type() {
        return FrameType.GOAWAY;
    }

    @Override
    public String toString() {
        GoAwayStatus s = status();
        return "GOAWAY last=" + lastGoodStreamId + " " + (s == GoAwayStatus.UNKNOWN ? "code=" + code : s.name());
    }
}
