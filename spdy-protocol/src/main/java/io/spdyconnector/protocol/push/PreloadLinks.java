package io.spdyconnector.protocol.push;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code Link} response headers (RFC 8288) for {@code rel=preload} targets a server may push:
 * same origin only, without the {@code nopush} parameter, resolved against the request's path.
 */
public final class PreloadLinks {
    private PreloadLinks() {
    }

    /**
     * The paths (with query) of the preload targets in one {@code Link} header value.
     *
     * @param scheme and {@code authority} of the request: absolute targets elsewhere are not pushable
     * @param requestPath the request's path, against which relative targets resolve
     */
    public static List<String> paths(String linkHeader, String scheme, String authority, String requestPath) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = linkHeader.length();
        while (i < n) {
            int open = linkHeader.indexOf('<', i);
            if (open < 0) {
                break;
            }
            int close = linkHeader.indexOf('>', open + 1);
            if (close < 0) {
                break;
            }
            String target = linkHeader.substring(open + 1, close).trim();
            int end = parametersEnd(linkHeader, close + 1);
            String params = linkHeader.substring(close + 1, end);
            if (isPushablePreload(params)) {
                String path = resolve(target, scheme, authority, requestPath);
                if (path != null) {
                    out.add(path);
                }
            }
            i = end + 1;
        }
        return out;
    }

    /** Where the link-value's parameters end: the next comma outside a quoted string. */
    private static int parametersEnd(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return s.length();
    }

    private static boolean isPushablePreload(String params) {
        boolean preload = false;
        for (String param : params.split(";")) {
            String p = param.trim().toLowerCase(Locale.ROOT);
            if (p.equals("nopush")) {
                return false;
            }
            if (p.startsWith("rel=")) {
                String rel = p.substring(4).replace("\"", "").trim();
                for (String token : rel.split("\\s+")) {
                    preload |= token.equals("preload");
                }
            }
        }
        return preload;
    }

    /** The target's path (with query) if it is on this origin, else null. */
    static String resolve(String target, String scheme, String authority, String requestPath) {
        try {
            URI base = new URI(scheme + "://" + authority + (requestPath.startsWith("/") ? requestPath : "/"));
            URI resolved = base.resolve(new URI(target));
            if (resolved.getScheme() == null || !resolved.getScheme().equalsIgnoreCase(scheme)
                    || resolved.getRawAuthority() == null || !resolved.getRawAuthority().equalsIgnoreCase(authority)) {
                return null;
            }
            String path = resolved.getRawPath() == null || resolved.getRawPath().isEmpty() ? "/" : resolved.getRawPath();
            return resolved.getRawQuery() == null ? path : path + "?" + resolved.getRawQuery();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
