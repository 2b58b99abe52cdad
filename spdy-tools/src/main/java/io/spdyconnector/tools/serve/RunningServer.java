package io.spdyconnector.tools.serve;

/** A started server, as {@code spdy serve} and its tests see it. */
public interface RunningServer extends AutoCloseable {
    /** The container and its version, e.g. "Jetty 12.1.12". */
    String description();

    /** The bound plain port (SPDY, HTTP/1.1 and h2c). */
    int plainPort();

    /** The bound TLS port, or -1 without TLS. */
    int tlsPort();

    /**
     * Stops gracefully and returns once stopped: the ports close, SPDY sessions say GOAWAY with the
     * last stream they admitted, and requests in flight get up to the stop timeout to finish.
     */
    void stop() throws Exception;

    /** {@link #stop()} for try-with-resources; a failure to stop is unexpected, hence unchecked. */
    @Override
    default void close() {
        try {
            stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the server failed: " + e, e);
        }
    }
}
