package io.spdyconnector.tomcat;

import org.apache.coyote.Request;
import org.apache.coyote.Response;
import org.apache.tomcat.util.collections.SynchronizedStack;

/**
 * Recycled Coyote requests (each with its response), shared by the sessions of one registration,
 * as {@code Http2Protocol} keeps them for HTTP/2 streams. A Coyote request carries the container's
 * own request and response as a note once it has been served once ({@code CoyoteAdapter} keeps
 * them there), and those hold the servlet input and output buffers (8 KiB of bytes and 8 KiB of
 * chars each way): building them afresh for every stream would cost far more than serving a small
 * request.
 *
 * <p>The pool holds at most {@code limit} requests, about as many as the connector serves at once
 * (its threads, and one session's streams waiting for them): async streams that wait for a long
 * time (thousands may be open) do not leave that many behind when they end.
 */
final class SpdyRequestPool {
    private final SynchronizedStack<Request> recycled;

    SpdyRequestPool(int limit) {
        recycled = new SynchronizedStack<>(Math.min(limit, 128), limit);
    }

    /** A recycled request, or a new one, with its response set. */
    Request take() {
        Request request = recycled.pop();
        if (request == null) {
            request = new Request();
            request.setResponse(new Response());
        }
        return request;
    }

    /** Recycles {@code request} and its response and keeps them for another stream. */
    void give(Request request) {
        Response response = request.getResponse();
        request.recycle();
        response.recycle();
        recycled.push(request);
    }
}
