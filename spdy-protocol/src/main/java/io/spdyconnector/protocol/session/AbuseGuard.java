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
    private final WindowedCount events;
    private final WindowedCount resetsReceived;
    private final WindowedCount resetsSent;

    AbuseGuard(AbuseLimits limits, LongSupplier clock) {
        this.limits = limits;
        this.clock = clock;
        this.score = -limits.credit();
        this.lastDecayNanos = clock.getAsLong();
        this.events = new WindowedCount(1_000_000_000L, limits.maxEventsPerSecond(), lastDecayNanos);
        long resetWindow = limits.resetWindowSeconds() * 1_000_000_000L;
        this.resetsReceived = new WindowedCount(resetWindow, limits.maxResetsPerWindow(), lastDecayNanos);
        this.resetsSent = new WindowedCount(resetWindow, limits.maxResetsPerWindow(), lastDecayNanos);
    }

    /**
     * Adds {@code cost}; returns a reason when the budget is exhausted, or when more frames were
     * charged within the last second than the wall-clock cap allows, else null.
     */
    String charge(int cost, String what) {
        return charge(cost, what, true);
    }

    /** {@code withoutProgress}: the frame also counts against the per-second cap. */
    private String charge(int cost, String what, boolean withoutProgress) {
        if (cost == 0) {
            return null;
        }
        decay();
        score += cost;
        if (score > 0) {
            trips++;
            return "too many " + what + " frames (overhead budget exhausted)";
        }
        if (withoutProgress && events.add(clock.getAsLong())) {
            trips++;
            return "more than " + limits.maxEventsPerSecond() + " frames without progress in a second (last: " + what + ")";
        }
        return null;
    }

    void credit(int amount) {
        score = Math.max(-limits.credit(), score - amount);
    }

    String controlFrame(String what) {
        return charge(limits.controlFrameCost(), what);
    }

    /** A RST_STREAM from the peer that ended a stream before any reply, or named an unknown one. */
    String resetReceived() {
        return reset(resetsReceived, "RST_STREAM", "received");
    }

    /** A RST_STREAM this side sent because of the peer's error (MadeYouReset). */
    String resetSent() {
        return reset(resetsSent, "stream error", "sent");
    }

    private String reset(WindowedCount window, String what, String direction) {
        String abuse = charge(limits.resetCost(), what);
        if (abuse == null && limits.resetCost() > 0 && window.add(clock.getAsLong())) {
            trips++;
            return "more than " + limits.maxResetsPerWindow() + " RST_STREAM " + direction + " within "
                    + limits.resetWindowSeconds() + " s";
        }
        return abuse;
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

    /**
     * Counts a peer's SYN_STREAM within one read ({@code inRead} of them so far, this one
     * included). More than twice the concurrency limit in one read cannot be a browser's burst:
     * nginx's cap against floods that open and cancel streams faster than any per-second measure.
     * It is never below the {@value SpdySession#CLIENT_STREAMS_BEFORE_SETTINGS} streams a browser
     * opened before it had seen SETTINGS, so a low limit refuses such a burst instead of ending it.
     */
    String newStreamInRead(int inRead, int maxConcurrentStreams) {
        long cap = Math.max(2L * maxConcurrentStreams, SpdySession.CLIENT_STREAMS_BEFORE_SETTINGS);
        if (limits.isOff() || inRead <= cap) {
            return null;
        }
        trips++;
        return "more than " + cap + " new streams in one read";
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
        // Small DATA carries a body forward: it pays into the budget, but a chatty upload is not a
        // frame without progress for the per-second cap.
        return charge(limits.emptyDataCost(), "small DATA", length == 0);
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

    /** The session ended for another abuse than the budget (a reader below the minimum data rate). */
    void tripped() {
        trips++;
    }

    long trips() {
        return trips;
    }

    /** Events in a fixed window of wall clock; the window starts again once it has passed. */
    private static final class WindowedCount {
        private final long windowNanos;
        private final int max;
        private long start;
        private int count;

        WindowedCount(long windowNanos, int max, long now) {
            this.windowNanos = windowNanos;
            this.max = max;
            this.start = now;
        }

        /** Counts one event at {@code now}; true when the window holds more than {@code max}. */
        boolean add(long now) {
            if (now - start >= windowNanos) {
                start = now;
                count = 0;
            }
            return ++count > max;
        }
    }
}
