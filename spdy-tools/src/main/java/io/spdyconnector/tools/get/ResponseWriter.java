package io.spdyconnector.tools.get;

import io.spdyconnector.protocol.client.ResponseListener;
import io.spdyconnector.protocol.headers.HeaderBlock;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes a response as it arrives, the way curl does: the status line and headers first with
 * {@code -i}, then each DATA frame's bytes. Nothing is collected, so a large download needs no
 * memory, and the window is given back only once the bytes are written, so a slow disk or pipe
 * slows the server down. Runs on the client's I/O thread; a write failure is kept for the caller.
 */
final class ResponseWriter implements ResponseListener {
    private final OutputStream target;
    private final boolean include;
    private final String protocol;
    private final byte[] chunk = new byte[16384];
    private volatile IOException failure;

    ResponseWriter(OutputStream target, boolean include, String protocol) {
        this.target = target;
        this.include = include;
        this.protocol = protocol;
    }

    @Override
    public void onHeaders(HeaderBlock headers) {
        if (!include) {
            return;
        }
        StringBuilder head = new StringBuilder();
        head.append(protocol).append(' ').append(headers.get(":status")).append('\n');
        headers.forEach((name, value) -> {
            if (!name.startsWith(":")) {
                head.append(name).append(": ").append(value).append('\n');
            }
        });
        head.append('\n');
        byte[] bytes = head.toString().getBytes(StandardCharsets.UTF_8);
        write(bytes, 0, bytes.length);
    }

    @Override
    public void onData(ByteBuffer data, Runnable release) {
        while (data.hasRemaining()) {
            int n = Math.min(chunk.length, data.remaining());
            data.get(chunk, 0, n);
            write(chunk, 0, n);
        }
        release.run();
    }

    private void write(byte[] bytes, int offset, int length) {
        if (failure != null) {
            return;
        }
        try {
            target.write(bytes, offset, length);
        } catch (IOException e) {
            failure = e;
        }
    }

    /** The first write failure, or null. */
    IOException failure() {
        return failure;
    }
}
