package io.spdyconnector.protocol.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Hex strings for golden-byte tests: {@code "80 03 00 06"} in, the same spaced form out. */
public final class Hex {
    private Hex() {
    }

    /** Parses hex digits, ignoring whitespace and {@code |} separators. */
    public static byte[] bytes(String hex) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int high = -1;
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (Character.isWhitespace(c) || c == '|') {
                continue;
            }
            int digit = Character.digit(c, 16);
            if (digit < 0) {
                throw new IllegalArgumentException("not a hex digit: '" + c + "' in " + hex);
            }
            if (high < 0) {
                high = digit;
            } else {
                out.write((high << 4) | digit);
                high = -1;
            }
        }
        if (high >= 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + hex);
        }
        return out.toByteArray();
    }

    /** Lowercase hex, one space between bytes. */
    public static String format(byte[] bytes) {
        return format(bytes, 0, bytes.length);
    }

    public static String format(byte[] bytes, int offset, int length) {
        StringBuilder sb = new StringBuilder(length * 3);
        for (int i = offset; i < offset + length; i++) {
            if (i > offset) {
                sb.append(' ');
            }
            sb.append(Character.forDigit((bytes[i] >>> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
        }
        return sb.toString();
    }

    /** The remaining bytes of a buffer, without moving its position. */
    public static String format(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return format(b);
    }

    /** Normalizes a hand-written hex string to the form {@link #format} produces. */
    public static String normalize(String hex) {
        return format(bytes(hex));
    }
}
