package io.spdyconnector.tomcat;

/**
 * Request attributes through which applications see the SPDY side of a request; the same names
 * the Jetty connector uses, so an application reads them the same way on both containers.
 */
public final class SpdyAttributes {
    /** {@code spdy/3.1} or {@code spdy/3}. */
    public static final String VERSION = "io.spdyconnector.version";
    /** The SYN_STREAM priority, an Integer from 0 (highest) to 7. */
    public static final String PRIORITY = "io.spdyconnector.priority";
    /** The SPDY stream id, an Integer. */
    public static final String STREAM_ID = "io.spdyconnector.streamId";

    private SpdyAttributes() {
    }
}
