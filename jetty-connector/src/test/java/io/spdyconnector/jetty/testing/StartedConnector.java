package io.spdyconnector.jetty.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connector as Jetty logs it once started, e.g.
 * {@code Started oejs.ServerConnector@1b2c{SSL, (ssl, alpn, spdy/3.1, spdy/3, http/1.1)}{127.0.0.1:41349}}:
 * its protocols in connection-factory order, and the port it bound.
 */
public record StartedConnector(String defaultProtocol, List<String> protocols, String host, int port) {
    private static final Pattern LINE = Pattern.compile(
            "Started \\S*ServerConnector@\\p{XDigit}+\\{(.*?), \\((.*)\\)}\\{(?:[^@}]*@)?([^}]*):(\\d+)}");

    public static List<StartedConnector> parseAll(String log) {
        List<StartedConnector> out = new ArrayList<>();
        Matcher m = LINE.matcher(log);
        while (m.find()) {
            out.add(new StartedConnector(m.group(1), splitProtocols(m.group(2)), m.group(3), Integer.parseInt(m.group(4))));
        }
        return out;
    }

    /** Splits {@code [spdy/3.1, spdy/3], http/1.1} at the top-level commas only. */
    private static List<String> splitProtocols(String list) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(list.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(list.substring(start).trim());
        return out;
    }

    public boolean isTls() {
        return protocols.contains("ssl");
    }
}
