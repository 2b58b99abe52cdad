package io.spdyconnector.proxy;

import org.eclipse.jetty.ee11.proxy.ProxyServlet;
import org.eclipse.jetty.io.ClientConnector;

/**
 * Jetty's transparent proxy with a fixed receive buffer on its connections to the origin (init
 * parameter {@value #RECEIVE_BUFFER_SIZE}, in bytes). A media proxy reads from the origin only as
 * fast as its client plays, so what it holds per stream is its own buffers plus the socket's; left
 * to itself, Linux grows a socket's receive buffer to hundreds of KiB while the proxy drains it in
 * bursts, all of it read from the origin ahead of the player. A fixed size bounds that, at the
 * cost of the throughput autotuning buys on long fat links, which a proxy next to its origin lacks.
 */
public class MediaProxyServlet extends ProxyServlet.Transparent {
    public static final String RECEIVE_BUFFER_SIZE = "receiveBufferSize";

    @Override
    protected ClientConnector newClientConnector() {
        ClientConnector connector = super.newClientConnector();
        String size = getServletConfig().getInitParameter(RECEIVE_BUFFER_SIZE);
        if (size != null) {
            connector.setReceiveBufferSize(Integer.parseInt(size));
        }
        return connector;
    }
}
