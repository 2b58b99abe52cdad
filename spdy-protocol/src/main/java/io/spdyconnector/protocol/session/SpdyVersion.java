package io.spdyconnector.protocol.session;

/**
 * The protocol a session speaks. SPDY/3 and SPDY/3.1 share the wire version 3; they differ only in
 * the session flow-control window, and are told apart by the negotiated name (SPEC §7). SPDY/2 is
 * a dialect of the same framing with no flow control at all (see {@code docs/engine.md}).
 */
public enum SpdyVersion {
    SPDY_2("spdy/2", 2, false, false),
    SPDY_3("spdy/3", 3, true, false),
    SPDY_3_1("spdy/3.1", 3, true, true);

    private final String protocolName;
    private final int wireVersion;
    private final boolean flowControl;
    private final boolean sessionFlowControl;

    SpdyVersion(String protocolName, int wireVersion, boolean flowControl, boolean sessionFlowControl) {
        this.protocolName = protocolName;
        this.wireVersion = wireVersion;
        this.flowControl = flowControl;
        this.sessionFlowControl = sessionFlowControl;
    }

    /** The ALPN/NPN protocol id. */
    public String protocolName() {
        return protocolName;
    }

    /** The version field of control frames: 2 or 3. */
    public int wireVersion() {
        return wireVersion;
    }

    /**
     * Whether streams have flow-control windows (SPDY/3 and later). Without them only TCP holds a
     * sender back, so a SPDY/2 receiver stops reading when the application falls behind.
     */
    public boolean hasFlowControl() {
        return flowControl;
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
