package io.spdyconnector.protocol.push;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which sub-resources follow which page, per origin and user agent (browsers fetch different
 * things), in the order they were first fetched, with their last known length. Bounded: the least
 * recently used pages and, per page, the oldest resources are forgotten. A resource whose push the
 * client cancelled is forgotten at once. Any thread.
 */
final class PushLearner {
    private final int maxPages;
    private final int maxResourcesPerPage;
    private final Map<Key, Map<String, Long>> pages;

    record Key(String authority, String page, String userAgent) {
    }

    /** A learned resource and its length (-1 unknown). */
    record Resource(String path, long length) {
    }

    PushLearner(int maxPages, int maxResourcesPerPage) {
        this.maxPages = maxPages;
        this.maxResourcesPerPage = maxResourcesPerPage;
        this.pages = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Map<String, Long>> eldest) {
                return size() > PushLearner.this.maxPages;
            }
        };
    }

    synchronized void learn(Key page, String resource, long length) {
        Map<String, Long> resources = pages.computeIfAbsent(page, k -> new LinkedHashMap<>());
        if (!resources.containsKey(resource) && resources.size() >= maxResourcesPerPage) {
            String oldest = resources.keySet().iterator().next();
            resources.remove(oldest);
        }
        resources.put(resource, length);
    }

    synchronized List<Resource> resources(Key page) {
        Map<String, Long> resources = pages.get(page);
        List<Resource> out = new ArrayList<>(resources == null ? 0 : resources.size());
        if (resources != null) {
            resources.forEach((path, length) -> out.add(new Resource(path, length)));
        }
        return out;
    }

    synchronized void forget(Key page, String resource) {
        Map<String, Long> resources = pages.get(page);
        if (resources != null) {
            resources.remove(resource);
        }
    }

    synchronized int pageCount() {
        return pages.size();
    }
}
