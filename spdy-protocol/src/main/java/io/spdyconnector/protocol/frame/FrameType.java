package io.spdyconnector.protocol.frame;

/** The frame types of SPDY/3.1 with their wire codes (SPEC §2.2, §2.6). DATA has no code. */
public enum FrameType {
    DATA(-1),
    SYN_STREAM(1),
    SYN_REPLY(2),
    RST_STREAM(3),
    SETTINGS(4),
    PING(6),
    GOAWAY(7),
    HEADERS(8),
    WINDOW_UPDATE(9);

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The 16-bit control frame type, -1 for DATA. */
    public int code() {
        return code;
    }

    /** The control type with this code, or null for codes SPDY/3.1 does not define. */
    public static FrameType ofControlCode(int code) {
        switch (code) {
            case 1:
                return SYN_STREAM;
            case 2:
                return SYN_REPLY;
            case 3:
                return RST_STREAM;
            case 4:
                return SETTINGS;
            case 6:
                return PING;
            case 7:
                return GOAWAY;
            case 8:
                return HEADERS;
            case 9:
                return WINDOW_UPDATE;
            default:
                return null;
        }
    }
}
