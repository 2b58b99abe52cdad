package io.spdyconnector.it.target;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * The probe of an embedded container: it runs in the suite's own JVM, so heap and threads include
 * the clients', which is why checks compare with a baseline taken with the same clients around.
 */
final class LocalProbe implements ServerProbe {
    private final LongSupplier sessions;
    private final LongSupplier streams;

    LocalProbe(LongSupplier sessions, LongSupplier streams) {
        this.sessions = sessions;
        this.streams = streams;
    }

    @Override
    public long openSessions() {
        return sessions.getAsLong();
    }

    @Override
    public long openStreams() {
        return streams.getAsLong();
    }

    @Override
    public long heapAfterGc() {
        ManagementFactory.getMemoryMXBean().gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
