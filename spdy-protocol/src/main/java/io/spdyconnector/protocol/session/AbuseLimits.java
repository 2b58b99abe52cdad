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
 */
public record AbuseLimits(int credit, int controlFrameCost, int resetCost, int streamCredit, int emptyDataCost,
        int decayPerSecond, int maxConsecutiveEmptyData) {

    private static final AbuseLimits DEFAULTS = new AbuseLimits(100, 10, 50, 20, 10, 20, 2);
    private static final AbuseLimits OFF = new AbuseLimits(Integer.MAX_VALUE / 4, 0, 0, 0, 0, 0, Integer.MAX_VALUE);

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
}
