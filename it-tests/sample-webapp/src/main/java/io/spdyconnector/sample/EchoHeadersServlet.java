package io.spdyconnector.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /echo-headers}: the request headers as a JSON object of name to list of values, names
 * lower-cased and sorted, so the same request gives the same text over any protocol.
 */
public class EchoHeadersServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.computeIfAbsent(name.toLowerCase(java.util.Locale.ROOT), n -> new java.util.ArrayList<>())
                    .addAll(Collections.list(req.getHeaders(name)));
        }
        StringBuilder json = new StringBuilder("{");
        headers.forEach((name, values) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('\n').append("  ");
            quote(json, name).append(": [");
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    json.append(", ");
                }
                quote(json, values.get(i));
            }
            json.append(']');
        });
        json.append("\n}\n");
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(json.toString());
    }

    static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
