package io.spdyconnector.protocol.client;

import io.spdyconnector.protocol.headers.HeaderBlock;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * An HTTP request to send over SPDY: method, absolute {@code http}/{@code https} URI, headers, and
 * a body that is either fixed (and therefore safe to send again on a new session) or streamed
 * through {@link SpdyExchange#write}. Immutable.
 */
public final class SpdyRequest {
    /** Connection-specific headers SPDY forbids (SPEC §3.2.1); they are dropped, never sent. */
    static final Set<String> FORBIDDEN = Set.of("connection", "host", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade");

    private final String method;
    private final URI uri;
    private final HeaderBlock headers;
    private final byte[] body;
    private final boolean streaming;
    private final int priority;
    private final HeaderBlock trailers;
    private final boolean acceptPushes;

    private SpdyRequest(Builder b) {
        method = b.method;
        uri = b.uri;
        headers = b.headers;
        body = b.body;
        streaming = b.streaming;
        priority = b.priority;
        trailers = b.trailers;
        acceptPushes = b.acceptPushes;
    }

    public static Builder newBuilder(URI uri) {
        return new Builder(uri);
    }

    public static Builder newBuilder(String uri) {
        return new Builder(URI.create(uri));
    }

    /** A GET of {@code uri}. */
    public static SpdyRequest get(String uri) {
        return newBuilder(uri).build();
    }

    /** A POST of {@code body} to {@code uri}. */
    public static SpdyRequest post(String uri, byte[] body) {
        return newBuilder(uri).method("POST").body(body).build();
    }

    public String method() {
        return method;
    }

    public URI uri() {
        return uri;
    }

    /** Headers as the caller set them (lowercase names), without the SPDY pseudo-headers. */
    public HeaderBlock headers() {
        return headers;
    }

    /** The fixed body, or null. */
    public byte[] body() {
        return body;
    }

    public boolean isStreaming() {
        return streaming;
    }

    /** SYN_STREAM priority, 0 (highest) to 7 (lowest). */
    public int priority() {
        return priority;
    }

    public HeaderBlock trailers() {
        return trailers;
    }

    public boolean acceptsPushes() {
        return acceptPushes;
    }

    /** Whether the request may be sent again on another session when the server did not process it. */
    public boolean isReplayable() {
        return !streaming;
    }

    /** The SYN_STREAM header block (SPEC §3.2.1). */
    HeaderBlock toHeaderBlock(String userAgent) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        HeaderBlock h = new HeaderBlock(headers.size() + 8);
        h.add(":method", method);
        h.add(":path", path);
        h.add(":version", "HTTP/1.1");
        h.add(":host", uri.getRawAuthority());
        h.add(":scheme", uri.getScheme().toLowerCase(Locale.ROOT));
        boolean agent = false;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (FORBIDDEN.contains(name) || name.startsWith(":")) {
                continue;
            }
            agent |= name.equals("user-agent");
            h.add(name, headers.value(i));
        }
        if (!agent && userAgent != null) {
            h.add("user-agent", userAgent);
        }
        if (body != null && !headers.contains("content-length")) {
            h.add("content-length", Integer.toString(body.length));
        }
        return h;
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }

    /** Builds a {@link SpdyRequest}; GET without body by default. */
    public static final class Builder {
        private String method = "GET";
        private final URI uri;
        private final HeaderBlock headers = new HeaderBlock();
        private byte[] body;
        private boolean streaming;
        private int priority = 3;
        private HeaderBlock trailers;
        private boolean acceptPushes = true;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("need an absolute http or https URI: " + uri);
            }
        }

        public Builder method(String method) {
            this.method = Objects.requireNonNull(method).toUpperCase(Locale.ROOT);
            return this;
        }

        /** Adds a header; names are lowercased as SPDY requires. */
        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        public Builder body(byte[] body) {
            this.body = body.clone();
            this.streaming = false;
            return this;
        }

        public Builder body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The body will be written through {@link SpdyExchange#write} and ended with {@link SpdyExchange#end}. */
        public Builder streamingBody() {
            this.body = null;
            this.streaming = true;
            return this;
        }

        public Builder priority(int priority) {
            if (priority < 0 || priority > 7) {
                throw new IllegalArgumentException("priority must be 0..7: " + priority);
            }
            this.priority = priority;
            return this;
        }

        /** Trailers sent in a HEADERS frame after a fixed body. */
        public Builder trailers(HeaderBlock trailers) {
            this.trailers = trailers;
            return this;
        }

        /** Whether pushed resources for this request are accepted (default) or cancelled. */
        public Builder acceptPushes(boolean accept) {
            this.acceptPushes = accept;
            return this;
        }

        public SpdyRequest build() {
            return new SpdyRequest(this);
        }
    }
}
