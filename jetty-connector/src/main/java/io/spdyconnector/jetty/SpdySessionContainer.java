package io.spdyconnector.jetty;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.component.Dumpable;
import org.eclipse.jetty.util.component.Graceful;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live SPDY connections of one factory, and their graceful stop: on {@link #shutdown()} every
 * session sends GOAWAY with the last stream it admitted and closes once those streams finish, and
 * a connection opened after that is told to go away at once (Jetty's own HTTP/2 does the same in
 * its {@code SessionContainer}).
 */
@ManagedObject("The SPDY sessions of a connector")
public class SpdySessionContainer implements Connection.Listener, Graceful, Dumpable {
    private final Set<SpdyServerConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile CompletableFuture<Void> shutdown;

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof SpdyServerConnection) {
            SpdyServerConnection c = (SpdyServerConnection) connection;
            connections.add(c);
            if (shutdown != null) {
                c.goAway();
            }
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connections.remove(connection)) {
            checkShutdown();
        }
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> result = shutdown;
        if (result == null) {
            result = new CompletableFuture<>();
            shutdown = result;
            for (SpdyServerConnection c : new ArrayList<>(connections)) {
                c.goAway();
            }
            checkShutdown();
        }
        return result;
    }

    private void checkShutdown() {
        CompletableFuture<Void> s = shutdown;
        if (s != null && connections.isEmpty()) {
            s.complete(null);
        }
    }

    @Override
    public boolean isShutdown() {
        return shutdown != null;
    }

    @ManagedAttribute("Open SPDY sessions")
    public int getSessionCount() {
        return connections.size();
    }

    @ManagedAttribute("Open SPDY streams over all sessions")
    public int getStreamCount() {
        int n = 0;
        for (SpdyServerConnection c : connections) {
            n += c.getStreamCount();
        }
        return n;
    }

    public List<SpdyServerConnection> getConnections() {
        return new ArrayList<>(connections);
    }

    @Override
    public void dump(Appendable out, String indent) throws IOException {
        Dumpable.dumpObjects(out, indent, this, connections.toArray());
    }

    @Override
    public String toString() {
        return "SpdySessionContainer[sessions=" + connections.size() + "]";
    }
}
