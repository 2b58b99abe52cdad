package io.spdyconnector.protocol.session;

import java.util.function.LongSupplier;

/** Applies {@link AbuseLimits} to one session. Guarded by the session lock. */
final class AbuseGuard {
    private final AbuseLimits limits;
    private final LongSupplier clock;
    private long score;
    private long lastDecayNanos;
    private int consecutiveEmptyData;
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
