package io.spdyconnector.protocol.session;

/**
 * Budgets for frames that cost the server work without moving a request forward (the 2019 HTTP/2
 * flood family, Rapid Reset, MadeYouReset). Tomcat's overhead model: the score starts at
 * {@code -credit}; frames that do no work add their cost, streams and full DATA frames earn credit
 * back, time pays it back at {@code decayPerSecond}, and a score above zero ends the session.
 *
 * @param credit           initial allowance, and the lowest the score can go
 * @param controlFrameCost cost of a PING, SETTINGS or unknown control frame
 * @param resetCost        cost of a RST_STREAM received for a stream the peer opened before it was
 *                         replied to (or for an unknown one), or sent because of the peer; a reset of
 *                         a reply under way costs {@code controlFrameCost}, one of this side's own
 *                         open streams nothing
 * @param streamCredit     credit for a stream admitted, or a DATA frame of at least 1 KiB or with FIN
 * @param emptyDataCost    cost of a DATA frame of less than 1 KiB without FIN
 * @param decayPerSecond   score repaid per second of wall clock
 * @param maxConsecutiveEmptyData empty non-FIN DATA frames tolerated in a row (Netty's default is 2)
 * @param maxEventsPerSecond frames charged to the budget that are tolerated in one second of wall
 *                         clock, whatever credit the peer earned (Jetty's rate control: 128)
 * @param maxResetsPerWindow resets charged to the budget tolerated in each direction within
 *                         {@code resetWindowSeconds} (Netty's cap: 200 per 30 s), whatever credit
 *                         the peer earned with requests and full DATA frames
 * @param resetWindowSeconds the window of {@code maxResetsPerWindow}
 */
public record AbuseLimits(int credit, int controlFrameCost, int resetCost, int streamCredit, int emptyDataCost,
        int decayPerSecond, int maxConsecutiveEmptyData, int maxEventsPerSecond, int maxResetsPerWindow,
        int resetWindowSeconds) {

    private static final AbuseLimits DEFAULTS = new AbuseLimits(100, 10, 50, 20, 10, 20, 2, 128, 200, 30);
    private static final AbuseLimits OFF = new AbuseLimits(Integer.MAX_VALUE / 4, 0, 0, 0, 0, 0, Integer.MAX_VALUE,
            Integer.MAX_VALUE, Integer.MAX_VALUE, 1);

    public AbuseLimits {
        if (resetWindowSeconds < 1) {
            throw new IllegalArgumentException("resetWindowSeconds must be at least 1, not " + resetWindowSeconds);
        }
    }

    public static AbuseLimits defaults() {
        return DEFAULTS;
    }

    /** No budget at all: for benchmarks and trusted peers only. */
    public static AbuseLimits off() {
        return OFF;
    }

    /** Whether these are {@link #off()}: then no cap of the guard applies either. */
    public boolean isOff() {
        return equals(OFF);
    }

    public AbuseLimits withCredit(int v) {
        return new AbuseLimits(v, controlFrameCost, resetCost, streamCredit, emptyDataCost, decayPerSecond,
                maxConsecutiveEmptyData, maxEventsPerSecond, maxResetsPerWindow, resetWindowSeconds);
    }

    public AbuseLimits withControlFrameCost(int v) {
        return new AbuseLimits(credit, v, resetCost, streamCredit, emptyDataCost, decayPerSecond,
                maxConsecutiveEmptyData, maxEventsPerSecond, maxResetsPerWindow, resetWindowSeconds);
    }

    public AbuseLimits withResetCost(int v) {
        return new AbuseLimits(credit, controlFrameCost, v, streamCredit, emptyDataCost, decayPerSecond,
                maxConsecutiveEmptyData, maxEventsPerSecond, maxResetsPerWindow, resetWindowSeconds);
    }

    public AbuseLimits withStreamCredit(int v) {
        return new AbuseLimits(credit, controlFrameCost, resetCost, v, emptyDataCost, decayPerSecond,
                maxConsecutiveEmptyData, maxEventsPerSecond, maxResetsPerWindow, resetWindowSeconds);
    }

    public AbuseLimits withEmptyDataCost(int v) {
        return new AbuseLimits(credit, controlFrameCost, resetCost, streamCredit, v, decayPerSecond,
                maxConsecutiveEmptyData, maxEventsPerSecond, maxResetsPerWindow, resetWindowSeconds);
    }

    public AbuseLimits withDecayPerSecond(int v) {
        return new AbuseLimits(credit, controlFrameCost, resetCost, streamCredit, emptyDataCost, v,
                maxConsecutiveEmptyData, maxEventsPerSecond, maxResetsPerWindow, resetWindowSeconds);
    }

    public AbuseLimits withMaxConsecutiveEmptyData(int v) {
        return new AbuseLimits(credit, controlFrameCost, resetCost, streamCredit, emptyDataCost, decayPerSecond,
                v, maxEventsPerSecond, maxResetsPerWindow, resetWindowSeconds);
    }

    public AbuseLimits withMaxEventsPerSecond(int v) {
        return new AbuseLimits(credit, controlFrameCost, resetCost, streamCredit, emptyDataCost, decayPerSecond,
                maxConsecutiveEmptyData, v, maxResetsPerWindow, resetWindowSeconds);
    }

    public AbuseLimits withMaxResetsPerWindow(int v) {
        return new AbuseLimits(credit, controlFrameCost, resetCost, streamCredit, emptyDataCost, decayPerSecond,
                maxConsecutiveEmptyData, maxEventsPerSecond, v, resetWindowSeconds);
    }

    public AbuseLimits withResetWindowSeconds(int v) {
        return new AbuseLimits(credit, controlFrameCost, resetCost, streamCredit, emptyDataCost, decayPerSecond,
                maxConsecutiveEmptyData, maxEventsPerSecond, maxResetsPerWindow, v);
    }
}
