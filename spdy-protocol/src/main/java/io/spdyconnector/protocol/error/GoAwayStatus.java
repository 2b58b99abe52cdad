package io.spdyconnector.protocol.error;

/**
 * GOAWAY status codes (SPEC §2.6.6). Only these three exist: a flow-control violation of the
 * session window, which §2.6.8 asks to answer with a code GOAWAY does not define, is answered with
 * {@link #PROTOCOL_ERROR} as Netty and nginx did.
 */
public enum GoAwayStatus {
    OK(0),
    PROTOCOL_ERROR(1),
    INTERNAL_ERROR(2),
    /** Stands for any code this enum does not name; never sent. */
    UNKNOWN(-1);

    private final int code;

    GoAwayStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Maps a wire code to its status, {@link #UNKNOWN} for other codes. */
    public static GoAwayStatus of(int code) {
        switch (code) {
            case 0:
                return OK;
            case 1:
                return PROTOCOL_ERROR;
            case 2:
                return INTERNAL_ERROR;
            default:
                return UNKNOWN;
        }
    }
}
