package io.spdyconnector.tools;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.session.SpdyVersion;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a request is made of, shared by {@code get} and {@code bench} so that the same flags mean
 * the same request in both: method, headers, body, SPDY version and trust.
 */
public final class RequestOptions {
    @Option(names = {"-X", "--request"}, paramLabel = "METHOD",
            description = "Request method (default: GET, or POST with -d).")
    private String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'name: value'",
            description = "Extra request header; may be repeated.")
    private List<String> headers = new ArrayList<>();

    @Option(names = {"-d", "--data"}, paramLabel = "@FILE|TEXT",
            description = "Request body: the text itself, @FILE for a file's bytes, @- for standard input. "
                    + "Sets content-type: application/x-www-form-urlencoded unless -H gives one.")
    private String data;

    @Option(names = "--spdy", paramLabel = "3|3.1",
            description = "SPDY version: what plain http:// connections speak, and the only one offered by ALPN "
                    + "on https:// (default: 3.1, and both by ALPN).")
    private String spdy;

    @Option(names = {"-k", "--insecure"}, description = "Trust any certificate (self-signed servers).")
    private boolean insecure;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time allowed for TCP connect and TLS handshake (default: ${DEFAULT-VALUE}).")
    private double connectTimeoutSeconds;

    private byte[] body;

    /** The request method: -X, or POST when there is a body, else GET. */
    public String method() {
        if (method != null) {
            return method.toUpperCase(Locale.ROOT);
        }
        return data != null ? "POST" : "GET";
    }

    /** The body bytes, read once (null without -d). */
    public byte[] body() {
        if (data != null && body == null) {
            body = readBody(data);
        }
        return body;
    }

    /** Headers as name and value pairs, lowercased names, including the implied content-type. */
    public List<String[]> headers() {
        List<String[]> list = new ArrayList<>();
        boolean contentType = false;
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new ToolException(ExitCodes.USAGE, "bad header (want 'name: value'): " + h);
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            contentType |= name.equals("content-type");
            list.add(new String[] {name, h.substring(colon + 1).trim()});
        }
        if (data != null && !contentType) {
            list.add(new String[] {"content-type", "application/x-www-form-urlencoded"});
        }
        return list;
    }

    /** The version chosen with --spdy, or null for the default (3.1, and both by ALPN). */
    public SpdyVersion spdyVersion() {
        if (spdy == null) {
            return null;
        }
        return switch (spdy) {
            case "3", "spdy/3" -> SpdyVersion.SPDY_3;
            case "3.1", "spdy/3.1" -> SpdyVersion.SPDY_3_1;
            default -> throw new ToolException(ExitCodes.USAGE, "--spdy takes 3 or 3.1, not " + spdy);
        };
    }

    public boolean insecure() {
        return insecure;
    }

    public Duration connectTimeout() {
        return Duration.ofMillis((long) (connectTimeoutSeconds * 1000));
    }

    /** A client builder with the version, trust and time-out options applied. */
    public SpdyClient.Builder clientBuilder() {
        SpdyClient.Builder builder = SpdyClient.builder().connectTimeout(connectTimeout())
                .userAgent(userAgent());
        SpdyVersion v = spdyVersion();
        if (v != null) {
            builder.versions(v).plainVersion(v);
        }
        if (insecure) {
            builder.insecure();
        }
        return builder;
    }

    /** What the tools send as user-agent: "spdy/" and the version. */
    public static String userAgent() {
        return "spdy/" + SpdyTool.version();
    }

    /** The SPDY request for {@code uri}. */
    public SpdyRequest spdyRequest(URI uri) {
        SpdyRequest.Builder b = SpdyRequest.newBuilder(uri).method(method());
        for (String[] h : headers()) {
            b.header(h[0], h[1]);
        }
        byte[] bytes = body();
        if (bytes != null) {
            b.body(bytes);
        }
        return b.build();
    }

    /** Parses an http or https URL, or fails with {@link ExitCodes#USAGE}. */
    public static URI parseUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                throw new ToolException(ExitCodes.USAGE, "bad URL (want http:// or https://): " + url);
            }
            if (uri.getHost() == null) {
                throw new ToolException(ExitCodes.USAGE, "bad URL (no host): " + url);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ToolException(ExitCodes.USAGE, "bad URL: " + e.getMessage());
        }
    }

    private static byte[] readBody(String data) {
        if (!data.startsWith("@")) {
            return data.getBytes(StandardCharsets.UTF_8);
        }
        String file = data.substring(1);
        try {
            if (file.equals("-")) {
                return System.in.readAllBytes();
            }
            return Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new ToolException(ExitCodes.USAGE, "no such file for -d: " + file);
        } catch (IOException e) {
            throw new ToolException(ExitCodes.USAGE, "cannot read -d " + data + ": " + e.getMessage());
        }
    }
}
