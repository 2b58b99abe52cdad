package io.spdyconnector.protocol.session;

/** Which end of the connection a session is: it fixes stream-id and ping-id parity (SPEC §2.3.2, §2.6.5). */
public enum Role {
    CLIENT(1),
    SERVER(2);

    private final int firstStreamId;

    Role(int firstStreamId) {
        this.firstStreamId = firstStreamId;
    }

    /** 1 for clients (odd ids), 2 for servers (even ids). */
    public int firstStreamId() {
        return firstStreamId;
    }

    /** Whether {@code id} has this role's parity. */
    public boolean owns(int id) {
        return (id & 1) == (firstStreamId & 1);
    }
}
