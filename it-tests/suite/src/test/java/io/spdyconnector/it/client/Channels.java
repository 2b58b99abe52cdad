package io.spdyconnector.it.client;

import io.spdyconnector.it.target.TargetKind;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The parameter sources of the suite: every target, with every transport and client that applies.
 * {@code -Dit.targets=embedded-jetty,standalone-tomcat} narrows the run to some targets, so that
 * working on one container does not wait for the other three.
 */
public final class Channels {
    private Channels() {
    }

    /** Each target, with plain SPDY/3.1, TLS SPDY/3.1 and TLS SPDY/3, with both clients where Netty speaks the version. */
    public static Stream<Channel> all() {
        List<Channel> out = new ArrayList<>();
        for (TargetKind target : TargetKind.selected()) {
            for (SpdyPeer peer : SpdyPeer.values()) {
                for (SpdyTransport transport : SpdyTransport.values()) {
                    if (peer.speaks(transport)) {
                        out.add(new Channel(target, transport, peer));
                    }
                }
            }
        }
        return out.stream();
    }

    /** Each target and transport with the project's client, for what only it can do (reset, stream). */
    public static Stream<Channel> projectClient() {
        return all().filter(c -> c.peer() == SpdyPeer.PROJECT_CLIENT);
    }

    public static Stream<TargetKind> targets() {
        return TargetKind.selected().stream();
    }
}
