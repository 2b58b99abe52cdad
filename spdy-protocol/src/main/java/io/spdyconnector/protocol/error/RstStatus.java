package io.spdyconnector.protocol.error;

/**
 * RST_STREAM status codes (SPEC §2.6.3). Code 10 (INVALID_CREDENTIALS) was removed in SPDY/3.1
 * and is never sent; when received it is reported as {@link #UNKNOWN}.
 */
public enum RstStatus {
    /** Stands for any code this enum does not name; never sent. */
    UNKNOWN(0),
    PROTOCOL_ERROR(1),
    INVALID_STREAM(2),
    REFUSED_STREAM(3),
    UNSUPPORTED_VERSION(4),
    CANCEL(5),
    INTERNAL_ERROR(6),
    FLOW_CONTROL_ERROR(7),
    STREAM_IN_USE(8),
    STREAM_ALREADY_CLOSED(9),
    FRAME_TOO_LARGE(11);

    private static final RstStatus[] BY_CODE = new RstStatus[12];

    static {
        for (RstStatus s : values()) {
            if (s != UNKNOWN) {
                BY_CODE[s.code] = s;
            }
        }
    }

    private final int code;

    RstStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Maps a wire code to its status, {@link #UNKNOWN} for codes SPDY/3.1 does not define. */
    public static RstStatus of(int code) {
        RstStatus s = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return s == null ? UNKNOWN : s;
    }
}
