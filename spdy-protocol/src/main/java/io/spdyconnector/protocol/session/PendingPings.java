package io.spdyconnector.protocol.session;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The PINGs this side sent and awaits: their ids, of this side's parity (SPEC §2.6.5), and when
 * they left. Guarded by the session lock; completions are handed back to run after it is released.
 */
final class PendingPings {
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final int firstId;
    private final LongSupplier nanoClock;
    private int nextId;

    PendingPings(Role role, LongSupplier nanoClock) {
        this.firstId = role.firstStreamId();
        this.nextId = firstId;
        this.nanoClock = nanoClock;
    }

    /** A fresh id for a PING whose echo completes {@code result} with the round-trip time. */
    int add(CompletableFuture<Duration> result) {
        int id = nextId;
        // SPEC §2.6.5: ids keep their parity and may wrap.
        nextId = (nextId + 2) & 0x7FFFFFFF;
        if (nextId == 0) {
            nextId = firstId;
        }
        pending.put(id, new Pending(nanoClock.getAsLong(), result));
        return id;
    }

    /** The completion of our PING with this id, or null if we never sent it (a stray echo to ignore). */
    Runnable answered(int id) {
        Pending p = pending.remove(id);
        if (p == null) {
            return null;
        }
        Duration rtt = Duration.ofNanos(nanoClock.getAsLong() - p.sentNanos);
        return () -> p.result.complete(rtt);
    }

    /** Fails every PING still waiting: the session closed. */
    Runnable failAll() {
        if (pending.isEmpty()) {
            return null;
        }
        Pending[] left = pending.values().toArray(new Pending[0]);
        pending.clear();
        return () -> {
            for (Pending p : left) {
                p.result.completeExceptionally(new IllegalStateException("session closed"));
            }
        };
    }

    private record Pending(long sentNanos, CompletableFuture<Duration> result) {
    }
}
