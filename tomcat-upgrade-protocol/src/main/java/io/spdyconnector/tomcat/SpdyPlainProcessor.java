package io.spdyconnector.tomcat;

import org.apache.coyote.Processor;
import org.apache.coyote.Request;
import org.apache.coyote.UpgradeToken;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The first processor of a connection on a {@link SpdyNioProtocol} port. It hands the connection
 * to SPDY the way Tomcat hands a connection to an HTTP upgrade: it answers {@code UPGRADING} with
 * a token whose handler is a {@link SpdyUpgradeHandler}, and Tomcat does the rest.
 *
 * <p>With an HTTP/1.1 processor to delegate to (the shared port), it first reads one byte: 0x80
 * means SPDY (the byte is handed back to the connection as leftover input); anything else is put
 * back and the connection is the HTTP/1.1 processor's from then on, until Tomcat recycles this
 * processor at the end of the request. Tomcat pools processors, so all per-connection state is
 * cleared in {@link #recycle()}.
 */
final class SpdyPlainProcessor implements Processor {
    private final SpdyNioProtocol connector;
    private final SpdyUpgradeProtocol spdy;
    private final Processor http11;
    private final Request placeholder = new Request();
    private SocketWrapperBase<?> socketWrapper;
    private ByteBuffer leftover;
    private boolean delegating;
    private SSLSupport sslSupport;

    SpdyPlainProcessor(SpdyNioProtocol connector, SpdyUpgradeProtocol spdy, Processor http11) {
        this.connector = connector;
        this.spdy = spdy;
        this.http11 = http11;
    }

    @Override
    public SocketState process(SocketWrapperBase<?> wrapper, SocketEvent status) throws IOException {
        if (delegating) {
            return http11.process(wrapper, status);
        }
        if (status != SocketEvent.OPEN_READ) {
            return SocketState.CLOSED;
        }
        if (http11 == null) {
            socketWrapper = wrapper;
            return SocketState.UPGRADING;
        }
        byte[] first = new byte[1];
        int n = wrapper.read(false, first, 0, 1);
        if (n == 0) {
            // Nothing yet: Tomcat polls again.
            return SocketState.OPEN;
        }
        if (n < 0) {
            return SocketState.CLOSED;
        }
        if ((first[0] & 0xFF) == 0x80) {
            socketWrapper = wrapper;
            leftover = ByteBuffer.wrap(first);
            return SocketState.UPGRADING;
        }
        wrapper.unRead(ByteBuffer.wrap(first));
        delegating = true;
        http11.setSslSupport(sslSupport);
        return http11.process(wrapper, status);
    }

    @Override
    public UpgradeToken getUpgradeToken() {
        if (delegating) {
            return http11.getUpgradeToken();
        }
        return new UpgradeToken(spdy.getInternalUpgradeHandler(socketWrapper, connector.getAdapter(), null), null,
                null, spdy.getVersion());
    }

    @Override
    public ByteBuffer getLeftoverInput() {
        return delegating ? http11.getLeftoverInput() : leftover;
    }

    @Override
    public boolean isUpgrade() {
        return delegating && http11.isUpgrade();
    }

    @Override
    public boolean isAsync() {
        return delegating && http11.isAsync();
    }

    @Override
    public void timeoutAsync(long now) {
        if (delegating) {
            http11.timeoutAsync(now);
        }
    }

    /** The HTTP/1.1 processor's request, so Tomcat registers its statistics as for its own processors. */
    @Override
    public Request getRequest() {
        return http11 != null ? http11.getRequest() : placeholder;
    }

    @Override
    public void recycle() {
        if (delegating) {
            http11.recycle();
        }
        delegating = false;
        socketWrapper = null;
        leftover = null;
        sslSupport = null;
    }

    @Override
    public void setSslSupport(SSLSupport sslSupport) {
        this.sslSupport = sslSupport;
        if (delegating) {
            http11.setSslSupport(sslSupport);
        }
    }

    @Override
    public void pause() {
        if (delegating) {
            http11.pause();
        }
    }

    @Override
    public boolean checkAsyncTimeoutGeneration() {
        return delegating && http11.checkAsyncTimeoutGeneration();
    }
}
