package io.spdyconnector.protocol.client;

import io.spdyconnector.protocol.headers.HeaderBlock;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A complete response: status and headers from the SYN_REPLY, the body (empty when a
 * {@link ResponseListener} consumed it), trailers, and the resources the server pushed with it.
 */
public final class SpdyResponse {
    private final int streamId;
    private final String protocol;
    private final HeaderBlock headers;
    private final byte[] body;
    private final HeaderBlock trailers;
    private final List<SpdyPush> pushes;

    SpdyResponse(int streamId, String protocol, HeaderBlock headers, byte[] body, HeaderBlock trailers,
            List<SpdyPush> pushes) {
        this.streamId = streamId;
        this.protocol = protocol;
        this.headers = headers;
        this.body = body;
        this.trailers = trailers;
        this.pushes = List.copyOf(pushes);
    }

    /** The numeric status, from {@code :status} ("200" or "200 OK"). */
    public int status() {
        return parseStatus(headers.get(":status"));
    }

    static int parseStatus(String status) {
        if (status == null) {
            return -1;
        }
        int end = status.indexOf(' ');
        try {
            return Integer.parseInt(end < 0 ? status : status.substring(0, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** All headers, including {@code :status} and {@code :version}. */
    public HeaderBlock headers() {
        return headers;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    public byte[] body() {
        return body.clone();
    }

    public int bodyLength() {
        return body.length;
    }

    /** The body decoded with the charset of {@code content-type}, UTF-8 when it names none. */
    public String bodyAsString() {
        return new String(body, charset());
    }

    private Charset charset() {
        String type = headers.get("content-type");
        if (type != null) {
            int i = type.toLowerCase(java.util.Locale.ROOT).indexOf("charset=");
            if (i >= 0) {
                String name = type.substring(i + 8).split("[;, ]")[0].replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (RuntimeException ignored) {
                    // fall back below
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** Headers of the trailing HEADERS frames, empty if there were none. */
    public HeaderBlock trailers() {
        return trailers;
    }

    /** Resources pushed for this request (SPEC §3.3), complete. */
    public List<SpdyPush> pushes() {
        return pushes;
    }

    public int streamId() {
        return streamId;
    }

    /** {@code spdy/3.1} or {@code spdy/3}. */
    public String protocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return protocol + " " + headers.get(":status") + " (" + body.length + " bytes)";
    }
}
