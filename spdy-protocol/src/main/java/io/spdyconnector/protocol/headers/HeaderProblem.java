package io.spdyconnector.protocol.headers;

/**
 * Why a fully inflated header block cannot be used. Both are stream errors: the compression
 * context stayed in sync, so the session goes on (SPEC §2.4.1).
 */
public enum HeaderProblem {
    /**
     * Over the configured header bytes or header count: a request is answered 431 by the server's
     * session, later HEADERS and pushes are reset with FRAME_TOO_LARGE.
     */
    TOO_LARGE,
    /** Breaks the name/value rules of SPEC §2.6.10: answered with PROTOCOL_ERROR. */
    INVALID
}
