package io.spdyconnector.protocol.stream;

import io.spdyconnector.protocol.error.RstStatus;

/**
 * The life of one stream, as a table: for each state, the frames the peer may send and the
 * RST_STREAM status an illegal one raises (SPEC §2.3, §2.2.2, §2.6.2).
 *
 * <pre>
 *  locally initiated                          peer initiated
 *  AWAITING_REPLY --send FIN--> AWAITING_REPLY_LOCAL_CLOSED
 *       | recv SYN_REPLY                |recv SYN_REPLY
 *       v                               v
 *      OPEN ------ send FIN -------> LOCAL_CLOSED
 *       |                               |
 *   recv FIN                        recv FIN
 *       v                               v
 *  REMOTE_CLOSED ---- send FIN ----> CLOSED   (also: RST either way, from any state)
 * </pre>
 *
 * A peer-initiated stream starts in OPEN (REMOTE_CLOSED with FIN); a unidirectional one starts with
 * the receiving side closed (SPEC §2.3.1: pushed streams).
 */
public enum StreamState {
    OPEN,
    AWAITING_REPLY,
    AWAITING_REPLY_LOCAL_CLOSED,
    LOCAL_CLOSED,
    REMOTE_CLOSED,
    CLOSED;

    /** Frames the peer sends on an existing stream. */
    public enum Inbound { SYN_REPLY, HEADERS, DATA }

    /** The outcome of an inbound frame: the state it leads to before its FIN, or the error it raises. */
    public record Transition(StreamState next, RstStatus error) {
        static Transition to(StreamState next) {
            return new Transition(next, null);
        }

        static Transition fail(RstStatus error) {
            return new Transition(null, error);
        }

        public boolean isError() {
            return error != null;
        }
    }

    private static final Transition[][] TABLE = new Transition[values().length][Inbound.values().length];

    private static void row(StreamState s, Transition synReply, Transition headers, Transition data) {
        TABLE[s.ordinal()] = new Transition[] {synReply, headers, data};
    }

    static {
        RstStatus inUse = RstStatus.STREAM_IN_USE;
        RstStatus protocol = RstStatus.PROTOCOL_ERROR;
        RstStatus closed = RstStatus.STREAM_ALREADY_CLOSED;
        //                                    SYN_REPLY                           HEADERS                            DATA
        // SPEC §2.6.2: a second SYN_REPLY is STREAM_IN_USE.
        row(OPEN,                        Transition.fail(inUse),             Transition.to(OPEN),               Transition.to(OPEN));
        // SPEC §2.2.2: DATA before the SYN_REPLY is a protocol error.
        row(AWAITING_REPLY,              Transition.to(OPEN),                Transition.fail(protocol),         Transition.fail(protocol));
        row(AWAITING_REPLY_LOCAL_CLOSED, Transition.to(LOCAL_CLOSED),        Transition.fail(protocol),         Transition.fail(protocol));
        row(LOCAL_CLOSED,                Transition.fail(inUse),             Transition.to(LOCAL_CLOSED),       Transition.to(LOCAL_CLOSED));
        // SPEC §2.3.6: frames after the peer's FIN are STREAM_ALREADY_CLOSED.
        row(REMOTE_CLOSED,               Transition.fail(closed),            Transition.fail(closed),           Transition.fail(closed));
        // SPEC §2.3.7: DATA after the stream is closed is a protocol error.
        row(CLOSED,                      Transition.fail(closed),            Transition.fail(closed),           Transition.fail(protocol));
    }

    /** What receiving {@code frame} does in this state, before its FIN flag is applied. */
    public Transition receive(Inbound frame) {
        return TABLE[ordinal()][frame.ordinal()];
    }

    /** The state after the peer's FIN. */
    public StreamState remoteFin() {
        switch (this) {
            case OPEN:
                return REMOTE_CLOSED;
            case LOCAL_CLOSED:
                return CLOSED;
            default:
                return this;
        }
    }

    /** The state after our FIN. */
    public StreamState localFin() {
        switch (this) {
            case OPEN:
                return LOCAL_CLOSED;
            case AWAITING_REPLY:
                return AWAITING_REPLY_LOCAL_CLOSED;
            case REMOTE_CLOSED:
                return CLOSED;
            default:
                return this;
        }
    }

    /** Whether this side may still send frames on the stream. */
    public boolean canSend() {
        return this == OPEN || this == AWAITING_REPLY || this == REMOTE_CLOSED;
    }

    /** Whether the peer may still send DATA or HEADERS. */
    public boolean canReceive() {
        return this == OPEN || this == LOCAL_CLOSED;
    }
}
