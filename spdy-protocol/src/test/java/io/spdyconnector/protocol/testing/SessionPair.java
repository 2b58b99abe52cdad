package io.spdyconnector.protocol.testing;

import io.spdyconnector.protocol.session.OutputBatch;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyVersion;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** A client-role and a server-role session wired back to back in memory. */
public final class SessionPair {
    public final RecordingListener clientEvents;
    public final RecordingListener serverEvents;
    public final SpdySession client;
    public final SpdySession server;
    public long bytesClientToServer;
    public long bytesServerToClient;

    public SessionPair(RecordingListener clientEvents, RecordingListener serverEvents, SessionConfig clientConfig,
            SessionConfig serverConfig, SpdyVersion version) {
        this.clientEvents = clientEvents;
        this.serverEvents = serverEvents;
        this.client = new SpdySession(Role.CLIENT, version, clientConfig, clientEvents);
        this.server = new SpdySession(Role.SERVER, version, serverConfig, serverEvents);
    }

    public SessionPair(RecordingListener clientEvents, RecordingListener serverEvents) {
        this(clientEvents, serverEvents, SessionConfig.defaults(), SessionConfig.defaults(), SpdyVersion.SPDY_3_1);
    }

    /** Moves bytes both ways until neither side has anything to write; returns how many rounds it took. */
    public int pump() {
        int rounds = 0;
        while (true) {
            long a = transfer(client, server);
            long b = transfer(server, client);
            bytesClientToServer += a;
            bytesServerToClient += b;
            if (a == 0 && b == 0) {
                return rounds;
            }
            rounds++;
            if (rounds > 100_000) {
                throw new AssertionError("sessions never went quiet");
            }
        }
    }

    private static long transfer(SpdySession from, SpdySession to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputBatch batch;
        while ((batch = from.pollOutput()) != null) {
            for (ByteBuffer b : batch.buffers()) {
                byte[] a = new byte[b.remaining()];
                b.duplicate().get(a);
                out.writeBytes(a);
            }
            boolean last = batch.isLast();
            from.outputWritten(batch);
            if (last) {
                break;
            }
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length > 0) {
            to.receive(ByteBuffer.wrap(bytes));
        }
        return bytes.length;
    }
}
