package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.http.SpdyHttp;
import io.spdyconnector.protocol.push.PushPlanner;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.StreamListener;
import jakarta.servlet.RequestDispatcher;
import org.apache.coyote.ActionCode;
import org.apache.coyote.Request;
import org.apache.coyote.Response;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http11.filters.GzipOutputFilter;
import org.apache.tomcat.util.http.FastHttpDateFormat;
import org.apache.tomcat.util.http.HeaderUtil;
import org.apache.tomcat.util.http.MimeHeaders;
import org.apache.tomcat.util.http.parser.Host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One SPDY stream as a Coyote request and response, in the place of HTTP/2's {@code Stream}: the
 * SYN_STREAM's headers become the request (SPEC §3.2.1), DATA and trailers its body, and the
 * response becomes SYN_REPLY, DATA and trailers (SPEC §3.2.2). Events arrive on the session's
 * reader; the processor runs the request on a container thread.
 */
final class SpdyRequestStream implements StreamListener {
    private final SpdyUpgradeHandler handler;
    private final SpdyStream stream;
    private final Request coyoteRequest;
    private final Response coyoteResponse;
    private final SpdyStreamInputBuffer inputBuffer;
    private final SpdyStreamOutputBuffer outputBuffer;
    private final SpdyResponseOutput responseOutput;
    private final ReentrantLock dispatchLock = new ReentrantLock();
    private final AtomicBoolean inputCancelled = new AtomicBoolean();
    private boolean recycled;
    private boolean head;
    private volatile String badRequest;
    private volatile SpdyStreamProcessor processor;
    private volatile boolean completed;
    private volatile boolean responseWritten;
    private volatile boolean reset;
    /** The request for the push planner, and its headers for pushed requests to inherit; until commit. */
    private PushPlanner.Request pushPage;
    /** The file the response's body comes from (the container's sendfile), or null; set on commit. */
    private SpdySendfile sendfile;
    private HeaderBlock pushPageHeaders;

    SpdyRequestStream(SpdyUpgradeHandler handler, SpdyStream stream, HeaderBlock headers, boolean fin) {
        this.handler = handler;
        this.stream = stream;
        SpdyUpgradeProtocol protocol = handler.getProtocol();
        coyoteRequest = new Request();
        coyoteResponse = new Response();
        coyoteRequest.setResponse(coyoteResponse);
        inputBuffer = new SpdyStreamInputBuffer(this, stream, protocol.getStreamReadTimeout(),
                new RequestDataRate(protocol.getMinRequestDataRate(), protocol.getDataRateWindow()), protocol.getGlobal());
        coyoteRequest.setInputBuffer(inputBuffer);
        outputBuffer = new SpdyStreamOutputBuffer(this, stream, protocol.getStreamWriteTimeout());
        responseOutput = new SpdyResponseOutput(coyoteResponse, outputBuffer);
        coyoteResponse.setOutputBuffer(responseOutput);
        // The default servlet sends large files with sendfile: their mapped bytes become the DATA.
        coyoteRequest.setSendfile(protocol.getUseSendfile());
        // SPEC §3.2.1: every SPDY request is an HTTP/1.1 request ({@code :version}); containers and
        // applications parse this string, so it names an HTTP version. The SPDY version is the
        // attribute SpdyAttributes.VERSION.
        coyoteRequest.protocol().setString("HTTP/1.1");
        coyoteRequest.markStartTime();
        mapRequest(headers, fin);
        // The stream holds its concurrency slot until the processor is done, even if reset first.
        stream.applicationStarted();
    }

    // -------------------------------------------------------------- request

    /** SPEC §3.2.1: the pseudo-headers are the request line; a request lacking one gets 400. */
    private void mapRequest(HeaderBlock headers, boolean fin) {
        coyoteRequest.setAttribute(SpdyAttributes.VERSION, handler.getVersion().protocolName());
        coyoteRequest.setAttribute(SpdyAttributes.PRIORITY, stream.priority());
        coyoteRequest.setAttribute(SpdyAttributes.STREAM_ID, stream.id());
        SpdyHttp.RequestLine line;
        try {
            line = SpdyHttp.requestLine(headers);
        } catch (SpdyHttp.BadRequestException e) {
            reject(e.getMessage());
            inputBuffer.endOfInput();
            return;
        }
        coyoteRequest.setMethod(line.method());
        pushPage = new PushPlanner.Request(line.scheme(), line.host(), line.path(), headers.get("referer"),
                headers.get("user-agent"), headers.get("if-none-match") != null || headers.get("if-modified-since") != null);
        pushPageHeaders = headers;
        handler.pusher().requested(pushPage);
        head = "HEAD".equals(line.method());
        // Bytes, not a String, so Tomcat normalises and checks the path (BZ 61120).
        byte[] uri = line.pathOnly().getBytes(StandardCharsets.ISO_8859_1);
        coyoteRequest.requestURI().setBytes(uri, 0, uri.length);
        if (line.query() != null) {
            coyoteRequest.queryString().setString(line.query());
        }
        coyoteRequest.scheme().setString(line.scheme());
        AbstractHttp11Protocol<?> http11 = handler.getProtocol().getHttp11Protocol();
        if (!handler.getProtocol().getAllowSchemeMismatch() && "https".equals(line.scheme()) != http11.isSSLEnabled()) {
            reject(":scheme " + line.scheme() + " on a connection with" + (http11.isSSLEnabled() ? "" : "out") + " TLS");
        }
        parseAuthority(line.host(), http11);

        MimeHeaders mime = coyoteRequest.getMimeHeaders();
        // The authority travels in :host; applications written for HTTP/1.1 read Host.
        mime.addValue("host").setString(line.host());
        StringBuilder cookies = null;
        String contentLength = null;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            String value = headers.value(i);
            // SPEC §3.2.1: connection-specific headers have no meaning in SPDY and are dropped.
            if (name.startsWith(":") || SpdyHttp.isConnectionSpecific(name)) {
                continue;
            }
            switch (name) {
                case "cookie":
                    cookies = cookies == null ? new StringBuilder(value) : cookies.append("; ").append(value);
                    continue;
                case "content-length":
                    if (contentLength != null && !contentLength.equals(value)) {
                        reject("conflicting content-length values");
                    }
                    if (contentLength != null) {
                        continue;
                    }
                    contentLength = value;
                    break;
                case "expect":
                    // SPDY has no interim responses: reading the body is the go-ahead.
                    if ("100-continue".equalsIgnoreCase(value.trim())) {
                        coyoteRequest.setExpectation(true);
                    }
                    break;
                default:
                    break;
            }
            mime.addValue(name).setString(value);
        }
        if (cookies != null) {
            mime.addValue("cookie").setString(cookies.toString());
        }
        long expected = parseContentLength(contentLength);
        inputBuffer.setExpectedLength(expected);
        if (!fin && expected < 0) {
            // A body of unknown length, which Coyote knows as chunked: without this Tomcat does not
            // read form parameters from it (it does so for HTTP/2 by protocol name).
            mime.addValue("transfer-encoding").setString("chunked");
        }
        if (fin) {
            inputBuffer.endOfInput();
        }
    }

    private long parseContentLength(String value) {
        if (value == null) {
            return -1;
        }
        String v = value.trim();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            reject("invalid content-length " + value);
            return -1;
        }
        return Long.parseLong(v);
    }

    private void parseAuthority(String value, AbstractHttp11Protocol<?> http11) {
        try {
            int colon = Host.parse(value);
            if (colon > -1) {
                coyoteRequest.serverName().setString(value.substring(0, colon));
                coyoteRequest.setServerPort(Integer.parseInt(value.substring(colon + 1)));
            } else {
                coyoteRequest.serverName().setString(value);
            }
        } catch (IllegalArgumentException e) {
            reject("invalid :host " + value);
            return;
        }
        if (!http11.checkSni(handler.getSniHostName(), coyoteRequest.serverName().getString())) {
            reject(":host " + value + " does not match the TLS server name " + handler.getSniHostName());
        }
    }

    private void reject(String reason) {
        if (badRequest == null) {
            badRequest = reason;
        }
    }

    /** Why the request must be answered with 400, or null. */
    String badRequest() {
        return badRequest;
    }

    // ------------------------------------------------------- stream events

    @Override
    public void onData(SpdyStream s, ByteBuffer data, boolean fin) {
        inputBuffer.onData(data, fin);
    }

    /** Trailers (HEADERS with FIN), kept if the connector allows them ({@code allowedTrailerHeaders}). */
    @Override
    public void onHeaders(SpdyStream s, HeaderBlock headers, boolean fin) {
        if (!fin) {
            return;
        }
        AbstractHttp11Protocol<?> http11 = handler.getProtocol().getHttp11Protocol();
        MimeHeaders trailers = coyoteRequest.getMimeTrailerFields();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (!name.startsWith(":") && !SpdyHttp.isConnectionSpecific(name) && http11.isTrailerHeaderAllowed(name)) {
                trailers.addValue(name).setString(headers.value(i));
            }
        }
        inputBuffer.endOfInput();
    }

    /** Whether the stream was reset (by either side) or lost with its session. */
    boolean wasReset() {
        return reset;
    }

    /** The peer reset the stream or the session ended: blocked reads and writes fail at once. */
    @Override
    public void onReset(SpdyStream s, SpdyStreamResetException cause) {
        reset = true;
        inputBuffer.fail(cause);
        outputBuffer.fail(cause);
        SpdyStreamProcessor p = processor;
        if (p != null && p.isAsync()) {
            dispatchError(cause);
        }
    }

    @Override
    public void onClosed(SpdyStream s) {
        handler.responseFinished(this);
        handler.streamClosed();
    }

    // ------------------------------------------------------------ response

    /** On commit: the SYN_REPLY, built from the response as HTTP/2's {@code prepareHeaders} does. */
    void prepareResponse() {
        coyoteResponse.setCommitted(true);
        int status = coyoteResponse.getStatus();
        MimeHeaders headers = coyoteResponse.getMimeHeaders();
        boolean bodyless = status < 200 || status == 204 || status == 205 || status == 304;
        if (!bodyless && !head && coyoteRequest.getSendfile()) {
            sendfile = SpdySendfile.of(coyoteRequest);
        }
        if (!bodyless) {
            // Compression cannot apply to a file sent as it is.
            if (!head && sendfile == null && handler.getProtocol().useCompression(coyoteRequest, coyoteResponse)) {
                responseOutput.addFilter(new GzipOutputFilter());
            }
            String contentType = coyoteResponse.getContentType();
            if (contentType != null) {
                headers.setValue("content-type").setString(contentType);
            }
            String contentLanguage = coyoteResponse.getContentLanguage();
            if (contentLanguage != null) {
                headers.setValue("content-language").setString(contentLanguage);
            }
            long contentLength = coyoteResponse.getContentLengthLong();
            if (contentLength != -1 && headers.getValue("content-length") == null) {
                headers.addValue("content-length").setLong(contentLength);
            }
        } else {
            coyoteResponse.setContentLength(status == 205 ? 0 : -1);
        }
        if (status >= 200 && headers.getValue("date") == null) {
            headers.addValue("date").setString(FastHttpDateFormat.getCurrentDate());
        }
        AbstractHttp11Protocol<?> http11 = handler.getProtocol().getHttp11Protocol();
        String server = http11.getServer();
        if (server == null) {
            if (http11.getServerRemoveAppProvidedValues()) {
                headers.removeHeader("server");
            }
        } else {
            headers.setValue("Server").setString(server);
        }
        if (pushPage != null) {
            // SPEC §3.3.1: pushes are made before the response that may reveal them.
            String contentType = headers.getHeader("content-type");
            java.util.List<String> links = new java.util.ArrayList<>();
            java.util.Enumeration<String> values = headers.values("link");
            while (values.hasMoreElements()) {
                links.add(values.nextElement());
            }
            handler.pusher().beforeResponse(stream, pushPage, new PushPlanner.Response(status, contentType,
                    coyoteResponse.getContentLengthLong(), links), pushPageHeaders, handler::startPushed);
            pushPage = null;
            pushPageHeaders = null;
        }
        outputBuffer.setReply(buildReply(), bodyless || head);
    }

    /** SPEC §3.2.2: {@code :status} with its reason, {@code :version}, lowercase names, nothing hop-by-hop. */
    HeaderBlock buildReply() {
        MimeHeaders headers = coyoteResponse.getMimeHeaders();
        int status = coyoteResponse.getStatus();
        HeaderBlock reply = new HeaderBlock(headers.size() + 2);
        reply.add(SpdyHttp.STATUS, SpdyHttp.status(status, ReasonPhrases.of(status)));
        reply.add(SpdyHttp.VERSION, "HTTP/1.1");
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.getName(i).toString();
            String value = headers.getValue(i).toString();
            if (name == null || value == null || name.isEmpty()) {
                continue;
            }
            name = name.toLowerCase(Locale.ROOT);
            if (name.startsWith(":") || SpdyHttp.isConnectionSpecific(name)) {
                continue;
            }
            reply.add(name, value);
        }
        return reply;
    }

    /** The trailers the application supplied, or null when it set none. */
    HeaderBlock responseTrailers() {
        Supplier<Map<String, String>> supplier = coyoteResponse.getTrailerFields();
        Map<String, String> fields = supplier == null ? null : supplier.get();
        if (fields == null || fields.isEmpty()) {
            return null;
        }
        HeaderBlock trailers = new HeaderBlock(fields.size());
        for (Map.Entry<String, String> f : fields.entrySet()) {
            String name = f.getKey().toLowerCase(Locale.ROOT);
            if (f.getValue() != null && !HeaderUtil.isHeaderDisallowedInTrailers(name)
                    && !SpdyHttp.isConnectionSpecific(name)) {
                trailers.add(name, f.getValue());
            }
        }
        return trailers.isEmpty() ? null : trailers;
    }

    /** The end of the response: its last bytes with FIN, or the file the container chose to send. */
    void finishResponse() throws IOException {
        SpdySendfile file = sendfile;
        if (file == null) {
            responseOutput.end();
            return;
        }
        sendfile = null;
        outputBuffer.endWithFile(file.map());
    }

    boolean isNonBlocking() {
        return coyoteResponse.getWriteListener() != null;
    }

    boolean isIoAllowed() {
        SpdyStreamProcessor p = processor;
        return p == null || p.isIoAllowed();
    }

    // ---------------------------------------------------------- completion

    /**
     * The processor is done with the request. A response the application failed is reset with
     * INTERNAL_ERROR, never ended with FIN; a request body left unread is refused with CANCEL once
     * the response is written.
     */
    void complete(boolean ioAllowed) {
        inputBuffer.close();
        if (!ioAllowed) {
            outputBuffer.abort();
            stream.reset(RstStatus.INTERNAL_ERROR);
            return;
        }
        completed = true;
        if (!responseWritten) {
            handler.responseFinishing(this);
        }
        cancelUnreadInput();
    }

    /** A write of the response completed after the application was done: it is progressing. */
    void responseProgressed() {
        if (completed && !responseWritten) {
            handler.responseFinishing(this);
        }
    }

    /** The write carrying the response's FIN completed. */
    void responseWritten() {
        responseWritten = true;
        handler.responseFinished(this);
        cancelUnreadInput();
    }

    private void cancelUnreadInput() {
        if (completed && responseWritten && !inputBuffer.isFinished() && inputCancelled.compareAndSet(false, true)) {
            stream.reset(RstStatus.CANCEL);
        }
    }

    /** After this, no event may reach the request: it belongs to no stream any more. */
    void recycle() {
        dispatchLock.lock();
        try {
            recycled = true;
        } finally {
            dispatchLock.unlock();
        }
        stream.applicationFinished();
    }

    void dispatchRead() {
        dispatch(ActionCode.DISPATCH_READ, null);
    }

    void dispatchWrite() {
        dispatch(ActionCode.DISPATCH_WRITE, null);
    }

    void dispatchError(Throwable error) {
        dispatch(ActionCode.DISPATCH_ERROR, error);
    }

    /** Non-blocking I/O events go to the processor on a container thread, as HTTP/2's do. */
    private void dispatch(ActionCode code, Throwable error) {
        dispatchLock.lock();
        try {
            if (recycled) {
                return;
            }
            if (error != null) {
                coyoteRequest.setAttribute(RequestDispatcher.ERROR_EXCEPTION, error);
            }
            coyoteRequest.action(code, null);
            coyoteRequest.action(ActionCode.DISPATCH_EXECUTE, null);
        } finally {
            dispatchLock.unlock();
        }
    }

    // --------------------------------------------------------------- access

    void setProcessor(SpdyStreamProcessor processor) {
        this.processor = processor;
    }

    SpdyStream stream() {
        return stream;
    }

    Request coyoteRequest() {
        return coyoteRequest;
    }

    Response coyoteResponse() {
        return coyoteResponse;
    }

    SpdyStreamInputBuffer inputBuffer() {
        return inputBuffer;
    }

    SpdyStreamOutputBuffer outputBuffer() {
        return outputBuffer;
    }

    SpdyResponseOutput responseOutput() {
        return responseOutput;
    }

    @Override
    public String toString() {
        return "SpdyRequestStream#" + stream.id() + "[" + stream.state() + "]";
    }
}
