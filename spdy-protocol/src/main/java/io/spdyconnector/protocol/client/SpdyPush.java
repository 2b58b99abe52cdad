package io.spdyconnector.protocol.client;

import io.spdyconnector.protocol.headers.HeaderBlock;

import java.nio.charset.StandardCharsets;

/** A resource the server pushed (SPEC §3.3): where it lives, its headers and its body. */
public final class SpdyPush {
    private final int streamId;
    private final HeaderBlock headers;
    private final byte[] body;

    SpdyPush(int streamId, HeaderBlock headers, byte[] body) {
        this.streamId = streamId;
        this.headers = headers;
        this.body = body;
    }

    /** {@code scheme://host/path} of the pushed resource. */
    public String url() {
        return headers.get(":scheme") + "://" + headers.get(":host") + headers.get(":path");
    }

    public String path() {
        return headers.get(":path");
    }

    public int status() {
        return SpdyResponse.parseStatus(headers.get(":status"));
    }

    /** The SYN_STREAM headers and any HEADERS that followed. */
    public HeaderBlock headers() {
        return headers;
    }

    public byte[] body() {
        return body.clone();
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public int streamId() {
        return streamId;
    }

    @Override
    public String toString() {
        return "push #" + streamId + " " + url() + " (" + body.length + " bytes)";
    }
}
