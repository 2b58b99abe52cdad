package io.spdyconnector.it.target;

/**
 * What a target's JVM reports about itself: the SPDY connectors' open sessions and streams (their
 * JMX attributes), and heap and thread counts, to check that load leaves nothing behind.
 */
public interface ServerProbe {
    /** SPDY sessions open on the target's connectors. */
    long openSessions() throws Exception;

    /** SPDY streams open over all those sessions. */
    long openStreams() throws Exception;

    /** Heap in use right after a full collection, in bytes. */
    long heapAfterGc() throws Exception;

    /** Live threads of the JVM. */
    int threads() throws Exception;
}
