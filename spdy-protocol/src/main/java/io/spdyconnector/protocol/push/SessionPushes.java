package io.spdyconnector.protocol.push;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one session's client has, as far as pushing goes: the resources it requested or was
 * pushed (never pushed again on this session), those it cancelled, and the pages it was served
 * lately (whose sub-resources may be learned). Bounded; any thread.
 */
public final class SessionPushes {
    private static final int MAX_REMEMBERED = 1024;
    private static final int MAX_RECENT_PAGES = 32;

    private final Map<String, Boolean> has = lru(MAX_REMEMBERED);
    private final Map<String, Long> recentPages = lru(MAX_RECENT_PAGES);

    private static <V> Map<String, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    /** The client asked for, was pushed, or refused {@code path}. */
    synchronized void remember(String path) {
        has.put(path, Boolean.TRUE);
    }

    synchronized boolean has(String path) {
        return has.containsKey(path);
    }

    /** Marks {@code path} as pushed now unless the client already has it; true if it may be pushed. */
    public synchronized boolean claim(String path) {
        return has.putIfAbsent(path, Boolean.TRUE) == null;
    }

    synchronized void pageServed(String path, long nanos) {
        recentPages.put(path, nanos);
    }

    /** When {@code path} was served as a page on this session, or null. */
    synchronized Long pageServedAt(String path) {
        return recentPages.get(path);
    }
}
