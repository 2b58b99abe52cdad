package io.spdyconnector.protocol.frame;

/** PING (SPEC §2.6.5): clients use odd ids, servers even ids. */
public record PingFrame(int id) implements Frame {
    @Override
    public FrameType type() {
        return FrameType.PING;
    }

    @Override
    public String toString() {
        return "PING id=" + Integer.toUnsignedString(id);
    }
}
