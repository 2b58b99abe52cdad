package io.spdyconnector.it.client;

import io.spdyconnector.sample.Pattern;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.fail;

/** Checks downloads against the sample's {@link Pattern} without holding a copy of the file. */
public final class PatternBytes {
    private PatternBytes() {
    }

    /** {@code length} bytes of the pattern from offset 0. */
    public static byte[] of(int length) {
        byte[] bytes = new byte[length];
        Pattern.fill(bytes, length, 0);
        return bytes;
    }

    /** The index in {@code data} of the first byte that is not the pattern at {@code offset}, or -1. */
    public static int mismatch(ByteBuffer data, long offset) {
        ByteBuffer d = data.duplicate();
        int b = (int) (offset % Pattern.PERIOD);
        for (int i = 0; d.hasRemaining(); i++) {
            if (d.get() != (byte) b) {
                return i;
            }
            if (++b == Pattern.PERIOD) {
                b = 0;
            }
        }
        return -1;
    }

    /** Fails unless {@code body} is {@code length} bytes of the pattern from {@code offset}. */
    public static void assertPattern(String what, byte[] body, long offset, long length) {
        if (body.length != length) {
            fail("%s: %d bytes, expected %d", what, body.length, length);
        }
        int at = mismatch(ByteBuffer.wrap(body), offset);
        if (at >= 0) {
            fail("%s: byte %d (file offset %d) is %d, the pattern has %d", what, at, offset + at, body[at],
                    (offset + at) % Pattern.PERIOD);
        }
    }
}
