package io.spdyconnector.protocol.http;

import io.spdyconnector.protocol.headers.HeaderBlock;

import java.util.Locale;

/**
 * HTTP over SPDY (SPEC §3): the request pseudo-headers a server needs, the headers SPDY forbids,
 * and the status line. Shared by the container adapters so both read requests the same way.
 */
public final class SpdyHttp {
    public static final String METHOD = ":method";
    public static final String PATH = ":path";
    public static final String VERSION = ":version";
    public static final String HOST = ":host";
    public static final String SCHEME = ":scheme";
    public static final String STATUS = ":status";

    private SpdyHttp() {
    }

    /** The request line of a SYN_STREAM, validated. */
    public record RequestLine(String method, String scheme, String host, String path, String version) {
        /** The path without its query. */
        public String pathOnly() {
            int q = path.indexOf('?');
            return q < 0 ? path : path.substring(0, q);
        }

        /** The query after '?', or null. */
        public String query() {
            int q = path.indexOf('?');
            return q < 0 ? null : path.substring(q + 1);
        }
    }

    /** Thrown for a request the server must answer with 400 (SPEC §3.2.1). */
    public static final class BadRequestException extends Exception {
        private static final long serialVersionUID = 1L;

        public BadRequestException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads and checks the request pseudo-headers. SPEC §3.2.1: a request lacking any of
     * {@code :method}, {@code :path}, {@code :version}, {@code :host}, {@code :scheme} gets 400.
     */
    public static RequestLine requestLine(HeaderBlock headers) throws BadRequestException {
        String method = single(headers, METHOD);
        String path = single(headers, PATH);
        String version = single(headers, VERSION);
        String host = optional(headers, HOST);
        String scheme = optional(headers, SCHEME);
        int authorityStart = absoluteFormAuthority(path);
        if (authorityStart > 0) {
            // Early SPDY/2 clients sent the whole URL in "url", as HTTP/1.1 allows (RFC 9112 §3.2.2):
            // the URL's scheme and authority stand in for missing ones, its path is the path.
            int pathStart = path.indexOf('/', authorityStart);
            int end = pathStart < 0 ? path.length() : pathStart;
            if (host == null) {
                host = path.substring(authorityStart, end);
            }
            if (scheme == null) {
                scheme = path.substring(0, authorityStart - 3);
            }
            path = pathStart < 0 ? "/" : path.substring(pathStart);
        }
        if (host == null) {
            throw new BadRequestException("missing " + HOST);
        }
        if (scheme == null) {
            throw new BadRequestException("missing " + SCHEME);
        }
        if (!isToken(method)) {
            throw new BadRequestException("invalid :method " + method);
        }
        if (!(path.startsWith("/") || (path.equals("*") && method.equals("OPTIONS"))) || hasControl(path)) {
            throw new BadRequestException("invalid :path " + path);
        }
        String s = scheme.toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            throw new BadRequestException("invalid :scheme " + scheme);
        }
        if (host.isEmpty() || hasControl(host) || host.indexOf(' ') >= 0 || host.indexOf('/') >= 0) {
            throw new BadRequestException("invalid :host " + host);
        }
        if (!version.startsWith("HTTP/")) {
            throw new BadRequestException("invalid :version " + version);
        }
        return new RequestLine(method, s, host, path, version);
    }

    /** Where the authority of an absolute {@code http(s)://} URL starts, or -1 for any other form. */
    private static int absoluteFormAuthority(String path) {
        if (path.regionMatches(true, 0, "http://", 0, 7)) {
            return 7;
        }
        return path.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
    }

    private static String optional(HeaderBlock headers, String name) throws BadRequestException {
        String value = null;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.name(i).equals(name)) {
                if (value != null) {
                    throw new BadRequestException("more than one " + name);
                }
                value = headers.value(i);
            }
        }
        return value;
    }

    private static String single(HeaderBlock headers, String name) throws BadRequestException {
        String value = optional(headers, name);
        if (value == null) {
            throw new BadRequestException("missing " + name);
        }
        return value;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a header is connection-specific: SPEC §3.2.1 and §3.2.2 forbid Connection,
     * Keep-Alive, Proxy-Connection and Transfer-Encoding (and Host, replaced by {@code :host}) in
     * SPDY messages, so they are dropped in both directions. Upgrade is hop-by-hop too.
     */
    public static boolean isConnectionSpecific(String lowercaseName) {
        switch (lowercaseName) {
            case "connection":
            case "host":
            case "keep-alive":
            case "proxy-connection":
            case "transfer-encoding":
            case "upgrade":
                return true;
            default:
                return false;
        }
    }

    /** A {@code :status} value: the code and, when known, its reason phrase ("200 OK"). */
    public static String status(int code, String reason) {
        if (reason == null || reason.isEmpty()) {
            return Integer.toString(code);
        }
        return code + " " + reason;
    }
}
