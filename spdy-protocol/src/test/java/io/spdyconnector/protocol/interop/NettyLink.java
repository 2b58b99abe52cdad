package io.spdyconnector.protocol.interop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.util.ReferenceCountUtil;
import io.spdyconnector.protocol.session.OutputBatch;
import io.spdyconnector.protocol.session.SpdySession;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of our sessions and a Netty SPDY pipeline in an {@link EmbeddedChannel}, joined by copying
 * bytes both ways: what Netty encodes goes into {@link SpdySession#receive}, what the session
 * writes goes into Netty's decoder. {@link #pump()} runs both directions until neither side has
 * anything more to say; everything runs on the test thread, so nothing needs waiting for.
 *
 * <p>What reaches the end of Netty's pipeline is recorded: SPDY frames as trace lines in the
 * engine's own format (DATA payloads are copied into {@link #bodies} and released), anything else
 * (HTTP messages) in {@link #messages}.
 */
final class NettyLink implements AutoCloseable {
    final EmbeddedChannel channel;
    final SpdySession session;
    final List<String> trace = new ArrayList<>();
    final List<SpdyFrame> frames = new ArrayList<>();
    final List<Object> messages = new ArrayList<>();
    final Map<Integer, ByteArrayOutputStream> bodies = new LinkedHashMap<>();
    /** The largest piece handed to {@link SpdySession#receive} at once: small values test resumption. */
    int receiveChunk = Integer.MAX_VALUE;
    /** Bytes moved each way, for tests that reason about volume. */
    long bytesToSession;
    long bytesToNetty;
    /** Bytes the session wrote after Netty had closed the connection: they went nowhere. */
    long bytesAfterNettyClosed;
    /** The session wrote its last batch: a transport would close now. */
    boolean sessionClosedTransport;
    private boolean inputClosed;
    private int traceRead;

    NettyLink(SpdySession session, ChannelHandler... nettyHandlers) {
        this.session = session;
        this.channel = new EmbeddedChannel(nettyHandlers);
    }

    /** Writes frames (or HTTP messages) into Netty's pipeline from its tail, then pumps. */
    NettyLink send(Object... messagesToWrite) {
        for (Object m : messagesToWrite) {
            channel.write(m);
        }
        channel.flush();
        pump();
        return this;
    }

    /** Moves bytes both ways until both sides are quiet. */
    NettyLink pump() {
        boolean progressed = true;
        while (progressed) {
            progressed = toSession() | toNetty();
        }
        if (!channel.isOpen() && !inputClosed) {
            // Netty closed the connection: the session's transport reads end of stream.
            inputClosed = true;
            session.inputClosed();
            toNetty();
        }
        return this;
    }

    /** Hands what Netty wrote to the session; true if there was anything. */
    boolean toSession() {
        boolean any = false;
        ByteBuf encoded;
        while ((encoded = channel.readOutbound()) != null) {
            byte[] bytes = new byte[encoded.readableBytes()];
            encoded.readBytes(bytes);
            encoded.release();
            bytesToSession += bytes.length;
            for (int off = 0; off < bytes.length; off += receiveChunk) {
                session.receive(ByteBuffer.wrap(bytes, off, Math.min(receiveChunk, bytes.length - off)));
            }
            any |= bytes.length > 0;
        }
        return any;
    }

    /**
     * Hands what the session has to write to Netty; true if there was anything. Calling it before
     * {@link #pump()} makes the session's bytes cross Netty's in flight, as on a real connection.
     */
    boolean toNetty() {
        byte[] written = drainSession();
        if (written.length > 0) {
            if (channel.isOpen()) {
                bytesToNetty += written.length;
                channel.writeInbound(Unpooled.wrappedBuffer(written));
            } else {
                bytesAfterNettyClosed += written.length;
            }
        }
        Object in;
        while ((in = channel.readInbound()) != null) {
            record(in);
        }
        return written.length > 0 && channel.isOpen();
    }

    private byte[] drainSession() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputBatch batch;
        while (!sessionClosedTransport && (batch = session.pollOutput()) != null) {
            for (ByteBuffer b : batch.buffers()) {
                byte[] a = new byte[b.remaining()];
                b.duplicate().get(a);
                out.writeBytes(a);
            }
            boolean last = batch.isLast();
            session.outputWritten(batch);
            sessionClosedTransport = last;
        }
        return out.toByteArray();
    }

    private void record(Object in) {
        if (in instanceof SpdyFrame) {
            trace.add(NettyFrames.describe(in));
            if (in instanceof SpdyDataFrame) {
                SpdyDataFrame d = (SpdyDataFrame) in;
                ByteBuf content = d.content();
                byte[] bytes = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), bytes);
                bodies.computeIfAbsent(d.streamId(), k -> new ByteArrayOutputStream()).writeBytes(bytes);
                d.release();
            } else {
                frames.add((SpdyFrame) in);
            }
        } else {
            messages.add(in);
        }
    }

    /** Trace lines recorded since the last call. */
    List<String> newTrace() {
        List<String> fresh = new ArrayList<>(trace.subList(traceRead, trace.size()));
        traceRead = trace.size();
        return fresh;
    }

    byte[] body(int streamId) {
        ByteArrayOutputStream b = bodies.get(streamId);
        return b == null ? new byte[0] : b.toByteArray();
    }

    @Override
    public void close() {
        for (Object m : messages) {
            ReferenceCountUtil.release(m);
        }
        messages.clear();
        channel.finishAndReleaseAll();
    }
}
