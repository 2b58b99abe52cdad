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
     * zlib level 1, but cookie, set-cookie, authorization and the authenticate headers go last in
     * the block, after a full flush, as stored blocks the compressor never sees: no match ever
     * reaches into a secret. A block that carries one starts the next block's history afresh.
     */
    SAFE
}
