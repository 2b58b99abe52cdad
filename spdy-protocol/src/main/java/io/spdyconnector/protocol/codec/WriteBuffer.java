package io.spdyconnector.protocol.codec;

import java.util.Arrays;

/**
 * A growable big-endian byte array that control frames and frame headers are written into.
 * Reused batch after batch, so steady-state encoding allocates nothing.
 */
public final class WriteBuffer {
    private byte[] array;
    private int position;

    public WriteBuffer(int capacity) {
        array = new byte[Math.max(capacity, 64)];
    }

    public byte[] array() {
        return array;
    }

    public int position() {
        return position;
    }

    public void position(int position) {
        this.position = position;
    }

    public void clear() {
        position = 0;
    }

    /** Makes room for {@code extra} more bytes; earlier views of the old array stay valid. */
    public void ensure(int extra) {
        if (array.length - position < extra) {
            array = Arrays.copyOf(array, Math.max(array.length * 2, position + extra));
        }
    }

    public void putByte(int b) {
        ensure(1);
        array[position++] = (byte) b;
    }

    public void putShort(int v) {
        ensure(2);
        array[position++] = (byte) (v >>> 8);
        array[position++] = (byte) v;
    }

    public void put24(int v) {
        ensure(3);
        array[position++] = (byte) (v >>> 16);
        array[position++] = (byte) (v >>> 8);
        array[position++] = (byte) v;
    }

    public void putInt(int v) {
        ensure(4);
        setInt(position, v);
        position += 4;
    }

    public void setInt(int at, int v) {
        array[at] = (byte) (v >>> 24);
        array[at + 1] = (byte) (v >>> 16);
        array[at + 2] = (byte) (v >>> 8);
        array[at + 3] = (byte) v;
    }

    public void putBytes(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, array, position, length);
        position += length;
    }

    /** Shrinks a buffer that one huge frame grew, so it does not stay large for the session. */
    public void trimTo(int capacity) {
        if (array.length > capacity && position == 0) {
            array = new byte[capacity];
        }
    }
}
