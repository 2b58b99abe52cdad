package io.spdyconnector.tomcat;

import org.apache.coyote.Response;
import org.apache.coyote.http11.HttpOutputBuffer;
import org.apache.coyote.http11.OutputFilter;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The head of a response's output chain, as {@code Http2OutputBuffer} is for HTTP/2: Coyote's
 * output filters (gzip when the connector's {@code compression} applies) in front of the stream's
 * {@link SpdyStreamOutputBuffer}. The first write commits the response.
 */
final class SpdyResponseOutput implements HttpOutputBuffer {
    private final Response response;
    private HttpOutputBuffer next;

    SpdyResponseOutput(Response response, SpdyStreamOutputBuffer body) {
        this.response = response;
        this.next = body;
    }

    /** Puts {@code filter} in front of the chain. */
    void addFilter(OutputFilter filter) {
        filter.setBuffer(next);
        next = filter;
    }

    @Override
    public int doWrite(ByteBuffer chunk) throws IOException {
        if (!response.isCommitted()) {
            response.commit();
        }
        return next.doWrite(chunk);
    }

    @Override
    public long getBytesWritten() {
        return next.getBytesWritten();
    }

    @Override
    public void end() throws IOException {
        next.end();
    }

    @Override
    public void flush() throws IOException {
        next.flush();
    }
}
