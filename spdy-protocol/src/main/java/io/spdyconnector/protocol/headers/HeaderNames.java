package io.spdyconnector.protocol.headers;

import java.nio.charset.StandardCharsets;

/**
 * Canonical String instances for header names that nearly every request or response carries, so
 * decoding a typical block allocates a String only for its values.
 */
final class HeaderNames {
    private static final String[] COMMON = {
        ":method", ":path", ":version", ":host", ":scheme", ":status",
        "accept", "accept-charset", "accept-encoding", "accept-language", "accept-ranges",
        "age", "allow", "authorization", "cache-control", "content-disposition", "content-encoding",
        "content-language", "content-length", "content-location", "content-range", "content-type",
        "cookie", "date", "dnt", "etag", "expect", "expires", "from", "if-match", "if-modified-since",
        "if-none-match", "if-range", "if-unmodified-since", "last-modified", "link", "location",
        "max-forwards", "origin", "pragma", "proxy-authenticate", "proxy-authorization", "range",
        "referer", "refresh", "retry-after", "server", "set-cookie", "strict-transport-security",
        "te", "trailer", "upgrade-insecure-requests", "user-agent", "vary", "via", "warning",
        "www-authenticate", "x-forwarded-for", "x-forwarded-proto", "x-requested-with",
    };
    private static final int MASK = 255;
    private static final String[] TABLE = new String[MASK + 1];
    private static final byte[][] TABLE_BYTES = new byte[MASK + 1][];

    static {
        for (String name : COMMON) {
            byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
            int i = hash(b, 0, b.length) & MASK;
            while (TABLE[i] != null) {
                i = (i + 1) & MASK;
            }
            TABLE[i] = name;
            TABLE_BYTES[i] = b;
        }
    }

    private HeaderNames() {
    }

    static String canonical(byte[] bytes, int offset, int length) {
        int i = hash(bytes, offset, length) & MASK;
        while (TABLE[i] != null) {
            if (java.util.Arrays.equals(TABLE_BYTES[i], 0, TABLE_BYTES[i].length, bytes, offset, offset + length)) {
                return TABLE[i];
            }
            i = (i + 1) & MASK;
        }
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static int hash(byte[] b, int offset, int length) {
        int h = length;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }
}
