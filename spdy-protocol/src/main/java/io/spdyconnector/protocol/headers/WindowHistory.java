package io.spdyconnector.protocol.headers;

/**
 * The last bytes a zlib stream produced (inflater) or consumed (deflater), as many as its window
 * holds. At a SYNC_FLUSH boundary this window is the whole state of a deflate stream, so the native
 * zlib object can be ended while a session is idle and rebuilt later by presetting this history as
 * its dictionary: an idle session keeps only the window the peer declared, on the heap.
 */
final class WindowHistory {
    private final byte[] ring;
    private int end;
    private boolean wrapped;

    WindowHistory(int size, byte[] dictionary) {
        ring = new byte[size];
        append(dictionary, 0, dictionary.length);
    }

    void append(byte[] bytes, int offset, int length) {
        int size = ring.length;
        if (length >= size) {
            System.arraycopy(bytes, offset + length - size, ring, 0, size);
            end = 0;
            wrapped = true;
            return;
        }
        int first = Math.min(length, size - end);
        System.arraycopy(bytes, offset, ring, end, first);
        if (first < length) {
            System.arraycopy(bytes, offset + first, ring, 0, length - first);
            wrapped = true;
        }
        end += length;
        if (end >= size) {
            end -= size;
            wrapped = true;
        }
    }

    /** Forgets everything: after a full flush nothing earlier may be referenced. */
    void clear() {
        end = 0;
        wrapped = false;
    }

    /** The history in stream order, oldest byte first. */
    byte[] toArray() {
        if (!wrapped) {
            return java.util.Arrays.copyOf(ring, end);
        }
        byte[] out = new byte[ring.length];
        int tail = ring.length - end;
        System.arraycopy(ring, end, out, 0, tail);
        System.arraycopy(ring, 0, out, tail, end);
        return out;
    }

    int capacity() {
        return ring.length;
    }
}
