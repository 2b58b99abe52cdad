package io.spdyconnector.protocol.testing;

import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyVersion;

/** Shorthands for the sessions and frames most tests start from. */
public final class Sessions {
    private Sessions() {
    }

    public static SpdySession server(RecordingListener listener) {
        return server(listener, SessionConfig.defaults());
    }

    public static SpdySession server(RecordingListener listener, SessionConfig config) {
        return new SpdySession(Role.SERVER, SpdyVersion.SPDY_3_1, config, listener);
    }

    public static HeaderBlock get(String path) {
        return HeaderBlock.of(":method", "GET", ":path", path, ":version", "HTTP/1.1", ":host", "example.com",
                ":scheme", "https");
    }

    public static HeaderBlock post(String path) {
        return HeaderBlock.of(":method", "POST", ":path", path, ":version", "HTTP/1.1", ":host", "example.com",
                ":scheme", "https");
    }

    public static HeaderBlock ok() {
        return HeaderBlock.of(":status", "200", ":version", "HTTP/1.1");
    }

    public static SynStreamFrame syn(int id, boolean fin, HeaderBlock headers) {
        return new SynStreamFrame(id, 0, 0, 0, fin, false, headers);
    }

    /** The frames every server session opens with under the default configuration. */
    public static final String SERVER_PREFACE_SETTINGS = "SETTINGS [MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536]";
    public static final String SERVER_PREFACE_WINDOW = "WINDOW_UPDATE #0 +983040";
}
