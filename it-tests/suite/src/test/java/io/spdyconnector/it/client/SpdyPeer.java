package io.spdyconnector.it.client;

/**
 * The SPDY client implementations the suite talks with: the project's own, and one built on Netty's
 * SPDY codec, so that a bug shared by our client and our server cannot hide.
 */
public enum SpdyPeer {
    PROJECT_CLIENT("SpdyClient"),
    NETTY("Netty");

    private final String displayName;

    SpdyPeer(String displayName) {
        this.displayName = displayName;
    }

    /** Netty's codec knows SPDY/3.1 only. */
    public boolean speaks(SpdyTransport transport) {
        return this == PROJECT_CLIENT || transport.version() == io.spdyconnector.protocol.session.SpdyVersion.SPDY_3_1;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
