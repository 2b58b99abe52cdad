package io.spdyconnector.it.client;

import io.spdyconnector.it.target.Target;
import io.spdyconnector.it.target.TargetKind;

import java.net.URI;

/** A SPDY client implementation talking to one target over one transport: a parameter of the suite. */
public record Channel(TargetKind target, SpdyTransport transport, SpdyPeer peer) {
    public Channel {
        if (!peer.speaks(transport)) {
            throw new IllegalArgumentException(peer + " does not speak " + transport);
        }
    }

    /** Opens a client whose requests all go over one new session to {@code running}. */
    public ChannelClient open(Target running) {
        URI origin = transport.origin(running);
        return switch (peer) {
            case PROJECT_CLIENT -> new ProjectClientChannel(origin, transport);
            case NETTY -> new NettyClientChannel(origin);
        };
    }

    @Override
    public String toString() {
        return target + ", " + transport + ", " + peer;
    }
}
