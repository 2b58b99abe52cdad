package io.spdyconnector.proxy;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee11.proxy.ProxyServlet;
import org.eclipse.jetty.io.ClientConnector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Jetty's transparent proxy with a fixed receive buffer on its connections to the origin (init
 * parameter {@value #RECEIVE_BUFFER_SIZE}, in bytes). A media proxy reads from the origin only as
 * fast as its client plays, so what it holds per stream is its own buffers plus the socket's; left
 * to itself, Linux grows a socket's receive buffer to hundreds of KiB while the proxy drains it in
 * bursts, all of it read from the origin ahead of the player. A fixed size bounds that, at the
 * cost of the throughput autotuning buys on long fat links, which a proxy next to its origin lacks.
 *
 * <p>ProxyServlet logs why it gave up on a response only at DEBUG, and most of its failures are
 * routine (a client that seeks cancels the response it no longer wants). So the proxy remembers the
 * failure of each of its last {@value #REMEMBERED_FAILURES} responses tagged {@code x-request-id},
 * and {@code GET <context>}{@value #FAILURES}{@code <id>} answers it in plain text: a client that
 * saw a response cut short can ask what happened to it.
 */
public class MediaProxyServlet extends ProxyServlet.Transparent {
    public static final String RECEIVE_BUFFER_SIZE = "receiveBufferSize";
    public static final String FAILURES = "/.failures/";
    static final int REMEMBERED_FAILURES = 1000;
    private static final int STACK_FRAMES = 12;
    private static final int MAX_CAUSES = 8;

    private final Map<String, String> failures = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED_FAILURES;
        }
    });

    @Override
    protected ClientConnector newClientConnector() {
        ClientConnector connector = super.newClientConnector();
        String size = getServletConfig().getInitParameter(RECEIVE_BUFFER_SIZE);
        if (size != null) {
            connector.setReceiveBufferSize(Integer.parseInt(size));
        }
        return connector;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String path = request.getPathInfo();
        if (path != null && path.startsWith(FAILURES)) {
            String failure = failures.get(path.substring(FAILURES.length()));
            response.setContentType("text/plain;charset=utf-8");
            response.getOutputStream().write((failure == null ? "none" : failure).getBytes(StandardCharsets.UTF_8));
            return;
        }
        super.service(request, response);
    }

    @Override
    protected void onProxyResponseFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Response serverResponse, Throwable failure) {
        String id = clientRequest.getHeader("x-request-id");
        if (id != null) {
            failures.put(id, describe(failure, proxyResponse.isCommitted()));
        }
        super.onProxyResponseFailure(clientRequest, proxyResponse, serverResponse, failure);
    }

    private static String describe(Throwable failure, boolean committed) {
        StringBuilder out = new StringBuilder(committed ? "after the response was committed: " : "before the response was committed: ");
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause() == t ? null : t.getCause()) {
            out.append(t).append('\n');
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(STACK_FRAMES, frames.length); i++) {
                out.append("\tat ").append(frames[i]).append('\n');
            }
        }
        return out.toString();
    }
}
