package io.spdyconnector.protocol.session;

/**
 * The ids of the last streams this side reset. Frames the peer had already sent on them are
 * dropped quietly instead of drawing more resets (SPEC §2.4.2; Jetty's refused-stream rule).
 * A fixed ring: memory does not grow with the number of resets. Guarded by the session lock.
 */
final class RecentResets {
    private final int capacity;
    private int[] ids;
    private int next;

    RecentResets(int capacity) {
        this.capacity = capacity;
    }

    void add(int id) {
        if (ids == null) {
            ids = new int[capacity];
        }
        if (!contains(id)) {
            ids[next] = id;
            next = (next + 1) % ids.length;
        }
    }

    boolean contains(int id) {
        if (ids == null) {
            return false;
        }
        for (int v : ids) {
            if (v == id) {
                return id != 0;
            }
        }
        return false;
    }
}
