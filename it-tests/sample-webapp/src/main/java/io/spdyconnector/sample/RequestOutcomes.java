package io.spdyconnector.sample;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What became of the requests a client tagged with an {@value #HEADER} header: running, completed,
 * or failed with the exception the servlet saw. A client that resets a stream cannot see from its
 * side whether the servlet noticed; {@link OutcomeServlet} lets it ask.
 */
public final class RequestOutcomes {
    public static final String HEADER = "x-request-id";
    private static final String ATTRIBUTE = RequestOutcomes.class.getName();
    /** Enough for any test run; the oldest entries go first, so a long-lived server stays bounded. */
    private static final int CAPACITY = 10_000;

    private final Map<String, String> outcomes = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    };

    private RequestOutcomes() {
    }

    /** The registry of this web application, created on first use. */
    public static RequestOutcomes of(ServletContext context) {
        synchronized (context) {
            RequestOutcomes outcomes = (RequestOutcomes) context.getAttribute(ATTRIBUTE);
            if (outcomes == null) {
                outcomes = new RequestOutcomes();
                context.setAttribute(ATTRIBUTE, outcomes);
            }
            return outcomes;
        }
    }

    public void running(HttpServletRequest request) {
        record(request, "running");
    }

    public void completed(HttpServletRequest request) {
        record(request, "completed");
    }

    /**
     * Records the failure, saying whether it is an {@link java.io.IOException} (what the Servlet API
     * promises a writer whose client went away), e.g.
     * {@code failed with an IOException: org.eclipse.jetty.io.EofException: reset}.
     */
    public void failed(HttpServletRequest request, Throwable failure) {
        record(request, "failed with " + (failure instanceof java.io.IOException ? "an IOException: " : "") + failure);
    }

    /** The outcome of request {@code id}, or null if no request carried it. */
    public synchronized String get(String id) {
        return outcomes.get(id);
    }

    private void record(HttpServletRequest request, String outcome) {
        String id = request.getHeader(HEADER);
        if (id != null) {
            synchronized (this) {
                outcomes.put(id, outcome);
            }
        }
    }
}
