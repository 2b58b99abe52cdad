package io.spdyconnector.protocol.testing.hardening;

/**
 * What a scenario needs of the server, in the terms both containers share; each fixture maps
 * them to its own settings. Zero keeps the container's default.
 *
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS
 * @param idleTimeoutMs        an idle connection says GOAWAY and closes (Jetty: the connector's idle
 *                             timeout; Tomcat: {@code keepAliveTimeout})
 * @param readTimeoutMs        a frame left half-sent closes the connection (Tomcat: {@code readTimeout};
 *                             Jetty has no such timeout: its connector idle timeout, set to this, bounds it)
 * @param streamTimeoutMs      a stream making no progress fails (Jetty: {@code streamIdleTimeout}; Tomcat:
 *                             {@code streamReadTimeout} and {@code streamWriteTimeout})
 * @param writeTimeoutMs       a socket write making no progress closes the connection (Tomcat:
 *                             {@code writeTimeout}; Jetty: the connector's idle timeout)
 * @param abuseProtection      whether the overhead budget is on (it is by default)
 * @param maxStreamsPerSession streams one session admits before its GOAWAY(OK) (0: no limit)
 * @param minResponseDataRate  bytes per second a client must take waiting output (0: the default)
 * @param dataRateWindowMs     the window the rates are averaged over (0: the default)
 * @param minRequestDataRate   bytes per second a client must send of a body the servlet waits for
 *                             (0: off, both containers' default; Jetty: {@code HttpConfiguration}'s,
 *                             Tomcat: {@code minRequestDataRate})
 */
public record HardeningOptions(int maxConcurrentStreams, long idleTimeoutMs, long readTimeoutMs, long streamTimeoutMs,
        long writeTimeoutMs, boolean abuseProtection, int maxStreamsPerSession, int minResponseDataRate,
        int dataRateWindowMs, int minRequestDataRate) {

    public static HardeningOptions defaults() {
        return new HardeningOptions(0, 0, 0, 0, 0, true, 0, 0, 0, 0);
    }

    public HardeningOptions maxConcurrentStreams(int v) {
        return new HardeningOptions(v, idleTimeoutMs, readTimeoutMs, streamTimeoutMs, writeTimeoutMs,
                abuseProtection, maxStreamsPerSession, minResponseDataRate, dataRateWindowMs, minRequestDataRate);
    }

    public HardeningOptions idleTimeout(long ms) {
        return new HardeningOptions(maxConcurrentStreams, ms, readTimeoutMs, streamTimeoutMs, writeTimeoutMs,
                abuseProtection, maxStreamsPerSession, minResponseDataRate, dataRateWindowMs, minRequestDataRate);
    }

    public HardeningOptions readTimeout(long ms) {
        return new HardeningOptions(maxConcurrentStreams, idleTimeoutMs, ms, streamTimeoutMs, writeTimeoutMs,
                abuseProtection, maxStreamsPerSession, minResponseDataRate, dataRateWindowMs, minRequestDataRate);
    }

    public HardeningOptions streamTimeout(long ms) {
        return new HardeningOptions(maxConcurrentStreams, idleTimeoutMs, readTimeoutMs, ms, writeTimeoutMs,
                abuseProtection, maxStreamsPerSession, minResponseDataRate, dataRateWindowMs, minRequestDataRate);
    }

    public HardeningOptions writeTimeout(long ms) {
        return new HardeningOptions(maxConcurrentStreams, idleTimeoutMs, readTimeoutMs, streamTimeoutMs, ms,
                abuseProtection, maxStreamsPerSession, minResponseDataRate, dataRateWindowMs, minRequestDataRate);
    }

    public HardeningOptions abuseProtection(boolean on) {
        return new HardeningOptions(maxConcurrentStreams, idleTimeoutMs, readTimeoutMs, streamTimeoutMs, writeTimeoutMs, on, maxStreamsPerSession, minResponseDataRate, dataRateWindowMs, minRequestDataRate);
    }

    public HardeningOptions maxStreamsPerSession(int v) {
        return new HardeningOptions(maxConcurrentStreams, idleTimeoutMs, readTimeoutMs, streamTimeoutMs, writeTimeoutMs, abuseProtection, v, minResponseDataRate, dataRateWindowMs, minRequestDataRate);
    }

    /** The minimum response data rate, averaged over {@code windowMs}. */
    public HardeningOptions minResponseDataRate(int bytesPerSecond, int windowMs) {
        return new HardeningOptions(maxConcurrentStreams, idleTimeoutMs, readTimeoutMs, streamTimeoutMs, writeTimeoutMs,
                abuseProtection, maxStreamsPerSession, bytesPerSecond, windowMs, minRequestDataRate);
    }

    /** The minimum request data rate, averaged over {@code windowMs} (Jetty averages over the whole body). */
    public HardeningOptions minRequestDataRate(int bytesPerSecond, int windowMs) {
        return new HardeningOptions(maxConcurrentStreams, idleTimeoutMs, readTimeoutMs, streamTimeoutMs, writeTimeoutMs,
                abuseProtection, maxStreamsPerSession, minResponseDataRate, windowMs, bytesPerSecond);
    }

    /** The Jetty connector idle timeout these options imply: the smallest of the connection-level ones set. */
    public long connectorIdleTimeoutMs(long otherwise) {
        long t = Long.MAX_VALUE;
        for (long v : new long[] {idleTimeoutMs, readTimeoutMs, writeTimeoutMs}) {
            if (v > 0) {
                t = Math.min(t, v);
            }
        }
        return t == Long.MAX_VALUE ? otherwise : t;
    }
}
