package io.spdyconnector.protocol.headers;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Creates and ends every native zlib object the engine uses, and counts the live ones: native
 * memory is not reclaimed by the garbage collector in time, so tests and metrics check that every
 * close path ended what it created.
 */
public final class ZlibResources {
    private static final AtomicInteger LIVE_INFLATERS = new AtomicInteger();
    private static final AtomicInteger LIVE_DEFLATERS = new AtomicInteger();

    private ZlibResources() {
    }

    static Inflater newRawInflater() {
        Inflater inflater = new Inflater(true);
        LIVE_INFLATERS.incrementAndGet();
        return inflater;
    }

    static void end(Inflater inflater) {
        if (inflater != null) {
            inflater.end();
            LIVE_INFLATERS.decrementAndGet();
        }
    }

    static Deflater newRawDeflater(int level) {
        Deflater deflater = new Deflater(level, true);
        LIVE_DEFLATERS.incrementAndGet();
        return deflater;
    }

    static void end(Deflater deflater) {
        if (deflater != null) {
            deflater.end();
            LIVE_DEFLATERS.decrementAndGet();
        }
    }

    /** Native inflaters created by the engine and not yet ended, in this JVM. */
    public static int liveInflaters() {
        return LIVE_INFLATERS.get();
    }

    /** Native deflaters created by the engine and not yet ended, in this JVM. */
    public static int liveDeflaters() {
        return LIVE_DEFLATERS.get();
    }
}
