package io.spdyconnector.benchmarks.suite;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The suite's own servlets, the same on every container and protocol. They count what they serve,
 * so the server can report CPU per request without trusting any client's count.
 */
public final class SuiteServlets {
    /** Small responses served so far. */
    static final LongAdder SERVED = new LongAdder();
    /** Requests held open by {@link Hold} and not yet released. */
    private static final Queue<AsyncContext> HELD = new ConcurrentLinkedQueue<>();
    private static final LongAdder HELD_COUNT = new LongAdder();
    private static final byte[] BODY = "hello, world\n".getBytes(StandardCharsets.US_ASCII);

    private SuiteServlets() {
    }

    static long held() {
        return HELD_COUNT.sum();
    }

    /** Completes every held request with the small body; returns how many were completed. */
    static int release() {
        int n = 0;
        for (AsyncContext async; (async = HELD.poll()) != null; ) {
            HELD_COUNT.decrement();
            try {
                HttpServletResponse response = (HttpServletResponse) async.getResponse();
                response.setContentType("text/plain");
                response.setContentLength(BODY.length);
                response.getOutputStream().write(BODY);
            } catch (IOException | IllegalStateException e) {
                // The client went away: completing is all that is left to do.
            }
            async.complete();
            n++;
        }
        return n;
    }

    /** {@code GET /small}: 13 bytes, counted. */
    public static final class Small extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.setContentLength(BODY.length);
            resp.getOutputStream().write(BODY);
            SERVED.increment();
        }
    }

    /**
     * {@code GET /hold}: starts async processing and completes only when the server is told to
     * release, so a stream stays open with its request and response objects as long as the run needs.
     */
    public static final class Hold extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            AsyncContext async = req.startAsync();
            async.setTimeout(0);
            HELD.add(async);
            HELD_COUNT.increment();
        }
    }
}
