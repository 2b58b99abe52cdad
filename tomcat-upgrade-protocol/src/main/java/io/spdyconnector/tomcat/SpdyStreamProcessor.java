package io.spdyconnector.tomcat;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.ActionCode;
import org.apache.coyote.Adapter;
import org.apache.coyote.ContinueResponseTiming;
import org.apache.coyote.ErrorState;
import org.apache.coyote.NonPipeliningProcessor;
import org.apache.coyote.RequestGroupInfo;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.http.MimeHeaders;
import org.apache.tomcat.util.http.parser.HttpParser;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.DispatchType;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one SPDY stream's request through the container's {@link Adapter}, as HTTP/2's
 * {@code StreamProcessor} does, so filters, sessions, security, error pages, async servlets and
 * non-blocking I/O all work unchanged. It always runs on a container thread handed out by
 * {@link SpdyUpgradeHandler}, and its events (async dispatches, non-blocking I/O, timeouts) come
 * back the same way rather than through the socket, which belongs to the whole session.
 */
final class SpdyStreamProcessor extends AbstractProcessor implements NonPipeliningProcessor {
    private static final Log log = LogFactory.getLog(SpdyStreamProcessor.class);

    private final Lock processLock = new ReentrantLock();
    private final SpdyUpgradeHandler handler;
    private final SpdyRequestStream stream;
    private volatile boolean done;

    /** Guarded by processLock: the first event has been handled. */
    private boolean started;

    SpdyStreamProcessor(SpdyUpgradeHandler handler, SpdyRequestStream stream, Adapter adapter,
            SocketWrapperBase<?> socketWrapper) {
        super(adapter, stream.coyoteRequest(), stream.coyoteResponse());
        this.handler = handler;
        this.stream = stream;
        setSocketWrapper(socketWrapper);
    }

    /** One event for this stream, on a container thread; the equivalent of a connection's process(). */
    void process(SocketEvent event) {
        processLock.lock();
        try {
            if (done) {
                return;
            }
            if (!started) {
                started = true;
                if (stream.wasReset()) {
                    // Reset while it waited for its turn (maxConcurrentStreamExecution): nobody
                    // wants the response, so no servlet runs; the stream's slot is freed here.
                    done = true;
                    recycle();
                    stream.recycle();
                    return;
                }
            }
            SocketState state = SocketState.CLOSED;
            try {
                state = process(getSocketWrapper(), event);
                if (state == SocketState.LONG) {
                    handler.getProtocol().getHttp11Protocol().addWaitingProcessor(this);
                } else if (state == SocketState.CLOSED) {
                    handler.getProtocol().getHttp11Protocol().removeWaitingProcessor(this);
                    stream.complete(getErrorState().isIoAllowed());
                }
            } catch (Exception e) {
                log.debug("SPDY stream processing failed: " + stream, e);
                stream.complete(false);
                state = SocketState.CLOSED;
            } finally {
                if (state == SocketState.CLOSED) {
                    done = true;
                    recycle();
                    stream.recycle();
                }
            }
        } finally {
            processLock.unlock();
        }
    }

    boolean isIoAllowed() {
        return getErrorState().isIoAllowed();
    }

    @Override
    public SocketState service(SocketWrapperBase<?> socket) throws IOException {
        try {
            if (stream.badRequest() == null && validateRequest()) {
                adapter.service(request, response);
            } else {
                log.debug("SPDY stream answered with 400: " + stream + " " + stream.badRequest());
                response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                adapter.log(request, response, 0);
                setErrorState(ErrorState.CLOSE_CLEAN, null);
            }
        } catch (Exception e) {
            log.debug("SPDY stream service failed: " + stream, e);
            response.setStatus(500);
            setErrorState(ErrorState.CLOSE_NOW, e);
        }
        if (getErrorState().isError() || !isAsync()) {
            action(ActionCode.CLOSE, null);
            request.updateCounters();
            return SocketState.CLOSED;
        }
        return SocketState.LONG;
    }

    /** The checks Tomcat's HTTP/1.1 parser makes while reading a request line and headers. */
    private boolean validateRequest() {
        if (!HttpParser.isToken(request.getMethod())) {
            return false;
        }
        String scheme = request.scheme().toString();
        if (scheme != null && !HttpParser.isScheme(scheme)) {
            return false;
        }
        HttpParser parser = handler.getProtocol().getHttp11Protocol().getHttpParser();
        ByteChunk uri = request.requestURI().getByteChunk();
        for (int i = uri.getStart(); i < uri.getEnd(); i++) {
            if (parser.isNotRequestTargetRelaxed(uri.getBuffer()[i])) {
                return false;
            }
        }
        String query = request.queryString().toString();
        if (query != null) {
            for (int i = 0; i < query.length(); i++) {
                if (!parser.isQueryRelaxed(query.charAt(i))) {
                    return false;
                }
            }
        }
        MimeHeaders headers = request.getMimeHeaders();
        Enumeration<String> names = headers.names();
        while (names.hasMoreElements()) {
            if (!HttpParser.isToken(names.nextElement())) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void prepareResponse() throws IOException {
        stream.prepareResponse();
    }

    @Override
    protected void finishResponse() throws IOException {
        stream.finishResponse();
    }

    /** SPDY has no interim responses: a client that expects 100-continue sends once it likes. */
    @Override
    protected void ack(ContinueResponseTiming continueResponseTiming) {
    }

    /** No 103 in SPDY either. */
    @Override
    protected void earlyHints() {
    }

    @Override
    protected void flush() throws IOException {
        stream.responseOutput().flush();
    }

    @Override
    protected int available(boolean doRead) {
        return stream.inputBuffer().available();
    }

    @Override
    protected void setRequestBody(ByteChunk body) {
        stream.inputBuffer().replay(body);
    }

    /** The response is being closed after an error: nothing more of it may reach the client. */
    @Override
    protected void setSwallowResponse() {
        stream.outputBuffer().abort();
    }

    /** Unread input is dropped and credited at the end anyway, so the windows stay right. */
    @Override
    protected void disableSwallowRequest() {
    }

    @Override
    protected void processSocketEvent(SocketEvent event, boolean dispatch) {
        if (dispatch) {
            handler.processStreamOnContainerThread(this, event);
        } else {
            process(event);
        }
    }

    @Override
    protected boolean isReadyForRead() {
        return stream.inputBuffer().isReadyForRead();
    }

    @Override
    protected boolean isRequestBodyFullyRead() {
        return stream.inputBuffer().isRequestBodyFullyRead();
    }

    @Override
    protected void registerReadInterest() {
        // isReadyForRead() is overridden and registers with the stream, not the socket.
        throw new UnsupportedOperationException();
    }

    @Override
    protected boolean isReadyForWrite() {
        return stream.outputBuffer().isReady();
    }

    /**
     * Dispatches go to container threads through the session, never to the socket; unlike the
     * superclass no socket lock is taken, since the reader that calls this may hold none.
     */
    @Override
    protected void executeDispatches() {
        Iterator<DispatchType> dispatches = getIteratorAndClearDispatches();
        while (dispatches != null && dispatches.hasNext()) {
            processSocketEvent(dispatches.next().getSocketStatus(), true);
        }
    }

    @Override
    protected boolean isTrailerFieldsReady() {
        return stream.inputBuffer().isFinished();
    }

    @Override
    protected boolean isTrailerFieldsSupported() {
        return !stream.outputBuffer().isFinQueued();
    }

    @Override
    protected Object getProtocolRequestId() {
        return Integer.toString(stream.stream().id());
    }

    @Override
    protected ServletConnection getServletConnection() {
        return handler.getServletConnection();
    }

    @Override
    protected boolean flushBufferedWrite() throws IOException {
        return stream.outputBuffer().hasDataLeft();
    }

    @Override
    protected SocketState dispatchEndRequest() {
        return SocketState.CLOSED;
    }

    /**
     * A non-blocking read that waited past the stream read timeout, or got its body below the
     * minimum request data rate, fails; otherwise async timeouts.
     */
    @Override
    public void timeoutAsync(long now) {
        String timedOut = now > 0 ? stream.inputBuffer().timeoutRead(now) : null;
        if (timedOut != null) {
            request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, new SocketTimeoutException(timedOut));
            processSocketEvent(SocketEvent.ERROR, true);
        } else {
            super.timeoutAsync(now);
        }
    }

    /** Processors are not reused; this adds the request's statistics to the protocol's totals. */
    @Override
    public void recycle() {
        RequestGroupInfo global = handler.getProtocol().getGlobal();
        global.removeRequestProcessor(request.getRequestProcessor());
        request.getRequestProcessor().recycleStatistcs();
        setSocketWrapper(null);
    }

    /** Handled by the session (GOAWAY). */
    @Override
    public void pause() {
    }

    @Override
    protected Log getLog() {
        return log;
    }
}
