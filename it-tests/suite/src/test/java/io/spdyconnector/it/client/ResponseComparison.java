package io.spdyconnector.it.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What "the same response" means between SPDY and HTTP/1.1: the status, the headers an
 * application or a cache acts on, and the body. Values that differ by design from one response to
 * the next (a session id, a multipart boundary) are replaced by a placeholder; headers that only
 * frame HTTP/1.1 ({@code transfer-encoding}, {@code connection}) or date the response are not
 * compared. The description is text, so a failure shows a readable diff.
 */
public final class ResponseComparison {
    /** The headers compared, in the order they are listed. */
    public static final List<String> HEADERS_THAT_MATTER = List.of("content-type", "content-length", "content-range",
            "accept-ranges", "content-language", "content-encoding", "last-modified", "etag", "cache-control", "vary",
            "location", "allow", "set-cookie", "x-filtered");
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern SESSION_COOKIE = Pattern.compile("(JSESSIONID=)[^;]+");
    private static final int TEXT_LIMIT = 4096;

    private ResponseComparison() {
    }

    /** Fails, with both descriptions, unless {@code spdy} is the same response as {@code http11}. */
    public static void assertSameResponse(TestRequest request, TestResponse spdy, TestResponse http11) {
        assertThat(describe(spdy)).as("%s over %s compared with HTTP/1.1", request, spdy.protocol())
                .isEqualTo(describe(http11));
    }

    /** The status, the headers that matter and the body, one per line. */
    public static String describe(TestResponse r) {
        String boundary = boundary(r.header("content-type"));
        StringBuilder out = new StringBuilder("status: ").append(r.status()).append('\n');
        for (String name : HEADERS_THAT_MATTER) {
            List<String> values = r.headers().get(name);
            if (values != null) {
                for (String value : values) {
                    out.append(name).append(": ").append(normalize(value, boundary)).append('\n');
                }
            }
        }
        return out.append(describeBody(r, boundary)).toString();
    }

    private static String normalize(String value, String boundary) {
        String v = SESSION_COOKIE.matcher(value).replaceAll("$1<session-id>");
        return boundary == null ? v : v.replace(boundary, "<boundary>");
    }

    private static String describeBody(TestResponse r, String boundary) {
        byte[] body = r.body();
        if (boundary != null) {
            body = new String(body, StandardCharsets.ISO_8859_1).replace(boundary, "<boundary>")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
        String summary = "body: " + body.length + " bytes, sha-256 " + sha256(body);
        if (isText(r.header("content-type")) && body.length <= TEXT_LIMIT) {
            return summary + "\n" + new String(body, StandardCharsets.UTF_8);
        }
        return summary;
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.contains("json") || t.contains("xml");
    }

    private static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return null;
        }
        Matcher m = BOUNDARY.matcher(contentType);
        return m.find() ? m.group(1) : null;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
