package io.spdyconnector.protocol.session;

/**
 * The protocol a session speaks. SPDY/3 and SPDY/3.1 share the wire version 3; they differ only in
 * the session flow-control window, and are told apart by the negotiated name (SPEC §7).
 */
public enum SpdyVersion {
    SPDY_3("spdy/3", false),
    SPDY_3_1("spdy/3.1", true);

    private final String protocolName;
    private final boolean sessionFlowControl;

    SpdyVersion(String protocolName, boolean sessionFlowControl) {
        this.protocolName = protocolName;
        this.sessionFlowControl = sessionFlowControl;
    }

    /** The ALPN/NPN protocol id. */
    public String protocolName() {
        return protocolName;
    }

    /** Whether WINDOW_UPDATE on stream 0 governs a session window (SPDY/3.1 only). */
    public boolean hasSessionFlowControl() {
        return sessionFlowControl;
    }

    /** The version with this ALPN name, or null. */
    public static SpdyVersion ofProtocolName(String name) {
        for (SpdyVersion v : values()) {
            if (v.protocolName.equals(name)) {
                return v;
            }
        }
        return null;
    }
}
