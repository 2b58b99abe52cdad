package io.spdyconnector.protocol.session;

import java.util.function.LongSupplier;

/** Applies {@link AbuseLimits} to one session. Guarded by the session lock. */
final class AbuseGuard {
    /** Window increments below this, averaged over the last two, are small (Tomcat's overheadWindowUpdateThreshold). */
    static final int SMALL_UPDATE = 1024;

    private final AbuseLimits limits;
    private final LongSupplier clock;
    private long score;
    private long lastDecayNanos;
    private int consecutiveEmptyData;
    private int lastWindowDelta = SMALL_UPDATE;
    private int refusedStreams;
    private long trips;

    AbuseGuard(AbuseLimits limits, LongSupplier clock) {
        this.limits = limits;
        this.clock = clock;
        this.score = -limits.credit();
        this.lastDecayNanos = clock.getAsLong();
    }

    /** Adds {@code cost}; returns a reason when the budget is exhausted, else null. */
    String charge(int cost, String what) {
        if (cost == 0) {
            return null;
        }
        decay();
        score += cost;
        if (score > 0) {
            trips++;
            return "too many " + what + " frames (overhead budget exhausted)";
        }
        return null;
    }

    void credit(int amount) {
        score = Math.max(-limits.credit(), score - amount);
    }

    String controlFrame(String what) {
        return charge(limits.controlFrameCost(), what);
    }

    String reset(String what) {
        return charge(limits.resetCost(), what);
    }

    void streamAdmitted() {
        credit(limits.streamCredit());
    }

    /**
     * Charges a WINDOW_UPDATE whose increment, averaged with the previous one, is below 1 KiB:
     * {@code 1024 / average}, at most a control frame's cost. Tiny updates make the sender cut tiny
     * DATA frames, a frame header per few bytes (Data Dribble, CVE-2019-9511); clients that credit
     * what they consume, half a window at a time, never pay.
     */
    String windowUpdate(int delta) {
        long average = ((long) lastWindowDelta + delta) / 2;
        lastWindowDelta = delta;
        if (average >= SMALL_UPDATE) {
            return null;
        }
        int cost = (int) Math.min(limits.controlFrameCost(), SMALL_UPDATE / Math.max(1, average));
        return charge(cost, "small WINDOW_UPDATE");
    }

    /**
     * Counts a SYN_STREAM refused for want of a slot. A client may race the server's SETTINGS,
     * so refusals cost nothing at first; past {@code max(100, maxConcurrentStreams)} on one
     * session (nginx's cap) the client is ignoring the limit and the session ends.
     */
    String refusedStream(int maxConcurrentStreams) {
        if (limits.isOff() || ++refusedStreams <= Math.max(100, maxConcurrentStreams)) {
            return null;
        }
        trips++;
        return "more than " + (refusedStreams - 1) + " streams refused";
    }

    /** Charges or credits one DATA frame by its size. */
    String data(int length, boolean fin) {
        if (fin || length >= 1024) {
            consecutiveEmptyData = 0;
            credit(limits.streamCredit());
            return null;
        }
        if (length == 0 && ++consecutiveEmptyData > limits.maxConsecutiveEmptyData()) {
            trips++;
            return "more than " + limits.maxConsecutiveEmptyData() + " empty DATA frames in a row";
        }
        if (length > 0) {
            consecutiveEmptyData = 0;
        }
        return charge(limits.emptyDataCost(), "small DATA");
    }

    private void decay() {
        long now = clock.getAsLong();
        long elapsed = now - lastDecayNanos;
        if (elapsed >= 100_000_000L) {
            long repaid = elapsed * limits.decayPerSecond() / 1_000_000_000L;
            lastDecayNanos = now;
            credit((int) Math.min(repaid, Integer.MAX_VALUE));
        }
    }

    long trips() {
        return trips;
    }
}
