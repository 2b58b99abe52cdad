package io.spdyconnector.it.target;

import java.net.URI;

/**
 * One container running the sample and proxy WARs, at {@code /sample} and {@code /proxy}, with
 * SPDY and HTTP/1.1 on a clear-text port and on a TLS port. The origins returned have no path.
 */
public interface Target extends AutoCloseable {
    TargetKind kind();

    /** SPDY/3.1 with prior knowledge. */
    URI plainSpdy();

    /** HTTP/1.1 in clear text: the control for {@link #plainSpdy()}, on the same port where the target shares one. */
    URI plainHttp11();

    /** TLS, where ALPN selects {@code spdy/3.1}, {@code spdy/3} or {@code http/1.1}. */
    URI tls();

    /** The most streams one session may open at once, as the TLS or the clear-text SPDY connector advertises it. */
    int maxConcurrentStreams(boolean tls);

    ServerProbe probe();

    /** The container's log, for failure messages (an embedded container logs to the test output). */
    String log();

    /**
     * Stops the container the way its operator would, gracefully: every SPDY session says GOAWAY
     * and its admitted streams finish. Returns once the container has stopped.
     */
    void stop() throws Exception;

    /** Ends the container however it is doing; never throws. */
    @Override
    void close();
}
