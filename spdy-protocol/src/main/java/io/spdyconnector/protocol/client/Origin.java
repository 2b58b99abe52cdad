package io.spdyconnector.protocol.client;

import java.net.URI;
import java.util.Locale;

/** Scheme, host and port: what one SPDY session serves (SPEC §3.1). */
public record Origin(String scheme, String host, int port) {
    public static Origin of(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port);
    }

    public boolean isSecure() {
        return scheme.equals("https");
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
