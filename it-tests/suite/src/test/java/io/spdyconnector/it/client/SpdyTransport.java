package io.spdyconnector.it.client;

import io.spdyconnector.it.target.Target;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.session.SpdyVersion;

import java.net.URI;

/** How a SPDY client reaches a target: clear text with prior knowledge, or TLS with ALPN. */
public enum SpdyTransport {
    PLAIN_SPDY_3_1("plain spdy/3.1", SpdyVersion.SPDY_3_1),
    TLS_SPDY_3_1("TLS spdy/3.1", SpdyVersion.SPDY_3_1),
    TLS_SPDY_3("TLS spdy/3", SpdyVersion.SPDY_3);

    private final String displayName;
    private final SpdyVersion version;

    SpdyTransport(String displayName, SpdyVersion version) {
        this.displayName = displayName;
        this.version = version;
    }

    public SpdyVersion version() {
        return version;
    }

    public boolean isTls() {
        return this != PLAIN_SPDY_3_1;
    }

    /** The project's client, speaking this transport's version and trusting the suite's certificate. */
    public SpdyClient.Builder newClient() {
        return SpdyClient.builder().insecure().versions(version).plainVersion(version);
    }

    /** Where SPDY goes on {@code target}. */
    public URI origin(Target target) {
        return isTls() ? target.tls() : target.plainSpdy();
    }

    /** Where the HTTP/1.1 control goes: the same TLS port (ALPN http/1.1), or the clear-text HTTP/1.1 port. */
    public URI http11Origin(Target target) {
        return isTls() ? target.tls() : target.plainHttp11();
    }

    @Override
    public String toString() {
        return displayName;
    }
}
