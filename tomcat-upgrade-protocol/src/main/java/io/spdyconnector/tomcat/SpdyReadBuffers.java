package io.spdyconnector.tomcat;

import java.nio.ByteBuffer;

/**
 * The buffers SPDY connections read their input into, one per container thread, lent for one read
 * loop. A connection keeps no input buffer of its own: most SPDY sessions are idle most of the time,
 * and a buffer per session would cost each of them its size (16 KiB by default) for nothing. The
 * engine copies what it keeps (header fragments are inflated, DATA is copied by the stream's input
 * buffer) before {@code receive} returns, so the bytes may be overwritten by the next read, of this
 * connection or another.
 *
 * <p>A buffer is taken out of the thread's slot while it is lent, so a nested read on the same
 * thread (none is known, but nothing forbids one) gets a fresh buffer instead of sharing it.
 */
final class SpdyReadBuffers {
    private final ThreadLocal<ByteBuffer> lent = new ThreadLocal<>();

    /** A cleared buffer of {@code size} bytes, this thread's if it has one. */
    ByteBuffer take(int size) {
        ByteBuffer buffer = lent.get();
        if (buffer != null) {
            lent.set(null);
            if (buffer.capacity() == size) {
                return buffer.clear();
            }
        }
        return ByteBuffer.allocate(size);
    }

    /** Gives {@code buffer} back to this thread, for its next read loop. */
    void give(ByteBuffer buffer) {
        lent.set(buffer);
    }
}
