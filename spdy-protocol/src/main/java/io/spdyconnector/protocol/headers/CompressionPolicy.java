package io.spdyconnector.protocol.headers;

/**
 * How outbound header blocks are compressed. Every policy produces a valid SPDY zlib stream that
 * any peer inflates; they trade bytes on the wire against CRIME exposure and memory.
 */
public enum CompressionPolicy {
    /**
     * Stored deflate blocks only: no compression oracle (CRIME-safe) and no native zlib memory,
     * since no deflater exists. The default, as nginx and Chrome's emergency fix shipped it.
     */
    NONE,
    /** zlib level 1 over the whole session context. */
    FAST,
    /** zlib level 9 over the whole session context. */
    BEST,
    /**
     * zlib level 1, but the values of cookie, set-cookie, authorization and the authenticate
     * headers are sent as stored blocks fenced by full flushes, so no match ever reaches into or
     * out of a secret.
     */
    SAFE
}
