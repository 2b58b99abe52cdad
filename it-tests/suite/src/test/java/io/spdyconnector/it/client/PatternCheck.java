package io.spdyconnector.it.client;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks a body as it streams in, without keeping it: its length, its SHA-256 (to compare with
 * the HTTP/1.1 response), and that it is the sample's pattern from a given offset. Not thread-safe:
 * feed it from one thread at a time.
 */
public final class PatternCheck {
    private final long start;
    private final MessageDigest sha256;
    private long length;
    private long firstMismatch = -1;

    public PatternCheck(long start) {
        this.start = start;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void accept(ByteBuffer data) {
        if (firstMismatch < 0) {
            int at = PatternBytes.mismatch(data, start + length);
            if (at >= 0) {
                firstMismatch = start + length + at;
            }
        }
        sha256.update(data.duplicate());
        length += data.remaining();
    }

    public void accept(byte[] bytes, int offset, int count) {
        accept(ByteBuffer.wrap(bytes, offset, count));
    }

    public long length() {
        return length;
    }

    /** The file offset of the first byte that is not the pattern, or -1. */
    public long firstMismatch() {
        return firstMismatch;
    }

    /** Length and digest, the way two bodies are compared. */
    public String summary() {
        return length + " bytes, sha-256 " + HexFormat.of().formatHex(((MessageDigest) clone(sha256)).digest())
                + (firstMismatch < 0 ? "" : ", not the pattern from offset " + firstMismatch);
    }

    private static Object clone(MessageDigest digest) {
        try {
            return digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
