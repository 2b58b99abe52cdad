package io.spdyconnector.protocol.testing;

import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.SessionListener;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.StreamListener;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * Records what a session reports, one readable line per event, and optionally answers new streams
 * through a handler. Data is consumed (credit returned) unless {@link #holdCredit} is set.
 */
public class RecordingListener implements SessionListener, StreamListener {
    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<SpdyStream> streams = new CopyOnWriteArrayList<>();
    public final List<Throwable> closed = new ArrayList<>();
    public boolean holdCredit;
    public int outputSignals;
    private final BiFunction<SpdyStream, HeaderBlock, StreamListener> handler;

    public RecordingListener() {
        this(null);
    }

    public RecordingListener(BiFunction<SpdyStream, HeaderBlock, StreamListener> handler) {
        this.handler = handler;
    }

    @Override
    public StreamListener onStream(SpdyStream stream, HeaderBlock headers, boolean fin) {
        events.add("stream " + stream.id() + (fin ? " fin " : " ") + headers);
        streams.add(stream);
        if (handler != null) {
            return handler.apply(stream, headers);
        }
        return this;
    }

    @Override
    public void onOutputReady() {
        outputSignals++;
    }

    @Override
    public void onInputResumed() {
        events.add("input resumed");
    }

    @Override
    public void onGoAway(int lastGoodStreamId, GoAwayStatus status) {
        events.add("goaway " + lastGoodStreamId + " " + status);
    }

    @Override
    public void onClosed(Throwable cause) {
        events.add("session closed" + (cause == null ? "" : ": " + cause.getMessage()));
        closed.add(cause);
    }

    @Override
    public void onReply(SpdyStream stream, HeaderBlock headers, boolean fin) {
        events.add("reply " + stream.id() + (fin ? " fin " : " ") + headers);
    }

    @Override
    public void onHeaders(SpdyStream stream, HeaderBlock headers, boolean fin) {
        events.add("headers " + stream.id() + (fin ? " fin " : " ") + headers);
    }

    @Override
    public void onData(SpdyStream stream, ByteBuffer data, boolean fin) {
        int n = data.remaining();
        events.add("data " + stream.id() + " " + StandardCharsets.ISO_8859_1.decode(data.duplicate()) + (fin ? " fin" : ""));
        if (!holdCredit) {
            stream.consumed(n);
        }
    }

    @Override
    public void onReset(SpdyStream stream, SpdyStreamResetException cause) {
        events.add("reset " + stream.id() + " " + cause.status() + (cause.isRetryable() ? " retryable" : ""));
    }

    @Override
    public void onClosed(SpdyStream stream) {
        events.add("closed " + stream.id());
    }
}
