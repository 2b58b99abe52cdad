package io.spdyconnector.protocol.testing;

import io.spdyconnector.protocol.codec.FrameDecoder;
import io.spdyconnector.protocol.codec.FrameEncoder;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;
import io.spdyconnector.protocol.session.OutputBatch;
import io.spdyconnector.protocol.session.SpdySession;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The other end of a session under test, speaking raw frames: what it sends is encoded with its
 * own compression context and fed to the session; what the session writes is decoded back into
 * frames. Tests assert on the trace of those frames.
 */
public final class RawPeer implements AutoCloseable {
    private final SpdySession session;
    private final HeaderBlockEncoder headerEncoder;
    private final FrameEncoder encoder;
    private final HeaderBlockDecoder headerDecoder = new HeaderBlockDecoder(1000, 1 << 20);
    private final FrameCollector collector = new FrameCollector();
    private final FrameDecoder decoder = new FrameDecoder(collector, headerDecoder, 0xFFFFFF);
    private int read;
    public boolean transportClosed;

    public RawPeer(SpdySession session) {
        this(session, CompressionPolicy.NONE);
    }

    public RawPeer(SpdySession session, CompressionPolicy policy) {
        this.session = session;
        this.headerEncoder = new HeaderBlockEncoder(policy);
        this.encoder = new FrameEncoder(headerEncoder);
    }

    public FrameEncoder encoder() {
        return encoder;
    }

    /** Speaks and reads the SPDY/2 dialect from now on; call before the first frame. */
    public RawPeer spdy2() {
        encoder.version(FrameDecoder.VERSION_2);
        decoder.version(FrameDecoder.VERSION_2);
        return this;
    }

    /** Unknown control frames read so far, e.g. a WINDOW_UPDATE a SPDY/2 reader skips. */
    public List<String> unknownFrames() {
        return collector.unknown;
    }

    /** Encodes frames as this peer and delivers them to the session in one read. */
    public RawPeer send(Frame... frames) {
        sendBytes(bytes(frames));
        return this;
    }

    public byte[] bytes(Frame... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            for (ByteBuffer b : encoder.encode(f)) {
                byte[] a = new byte[b.remaining()];
                b.get(a);
                out.writeBytes(a);
            }
        }
        return out.toByteArray();
    }

    public RawPeer sendBytes(byte[] bytes) {
        session.receive(ByteBuffer.wrap(bytes));
        return this;
    }

    /** Writes everything the session has to send, as a transport would, and decodes it. */
    public List<Frame> read() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputBatch batch;
        while ((batch = session.pollOutput()) != null) {
            for (ByteBuffer b : batch.buffers()) {
                byte[] a = new byte[b.remaining()];
                b.duplicate().get(a);
                out.writeBytes(a);
            }
            boolean last = batch.isLast();
            // Memory takes every batch at once, as a socket that keeps up does: batches grow.
            session.outputWritten(batch, true);
            if (last) {
                transportClosed = true;
                break;
            }
        }
        try {
            decoder.decode(ByteBuffer.wrap(out.toByteArray()));
        } catch (SessionException e) {
            throw new AssertionError("session wrote undecodable bytes: " + e.getMessage(), e);
        }
        List<Frame> fresh = new ArrayList<>(collector.frames.subList(read, collector.frames.size()));
        read = collector.frames.size();
        return fresh;
    }

    /** {@link #read()} as one line per frame. */
    public List<String> trace() {
        return read().stream().map(Frame::toString).collect(Collectors.toList());
    }

    public List<String> problems() {
        return collector.problems;
    }

    @Override
    public void close() {
        headerEncoder.close();
        headerDecoder.close();
    }
}
