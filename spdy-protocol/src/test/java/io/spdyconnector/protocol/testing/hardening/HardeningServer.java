package io.spdyconnector.protocol.testing.hardening;

import io.spdyconnector.protocol.session.SessionMetrics;

import javax.management.ObjectName;

/**
 * A container serving {@link ProbeServlet} over plain SPDY/3.1 (prior knowledge) on loopback,
 * for the hardening scenarios: each adapter's tests provide one, and the same scenarios run
 * against both.
 */
public interface HardeningServer extends AutoCloseable {
    /** The plain SPDY/3.1 port. */
    int port();

    /** The engine counters of the SPDY sessions of that port. */
    SessionMetrics metrics();

    ProbeServlet app();

    /** Threads of the container's pool busy now: what a flood must not exhaust. */
    int busyThreads();

    /** The MBean carrying {@link #metrics()} in the platform MBean server, registering it if the container does not by itself. */
    ObjectName metricsMBean() throws Exception;
}
