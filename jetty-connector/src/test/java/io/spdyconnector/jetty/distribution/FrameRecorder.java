package io.spdyconnector.jetty.distribution;

import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.session.FrameObserver;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what a client received from the server: its SETTINGS, session WINDOW_UPDATEs and DATA lengths. */
final class FrameRecorder implements FrameObserver {
    private final List<SettingsFrame> settings = new CopyOnWriteArrayList<>();
    private final List<Integer> sessionWindowUpdates = new CopyOnWriteArrayList<>();
    private final List<Integer> dataLengths = new CopyOnWriteArrayList<>();

    @Override
    public void inbound(Frame frame) {
        if (frame instanceof SettingsFrame s) {
            settings.add(s);
        } else if (frame instanceof WindowUpdateFrame w && w.streamId() == 0) {
            sessionWindowUpdates.add(w.delta());
        } else if (frame instanceof DataFrame d) {
            // the payload is a view of a reused buffer: keep only its length
            dataLengths.add(d.data().remaining());
        }
    }

    @Override
    public void outbound(Frame frame) {
    }

    /** The server's first SETTINGS frame. */
    SettingsFrame serverSettings() {
        if (settings.isEmpty()) {
            throw new AssertionError("the server sent no SETTINGS frame");
        }
        return settings.get(0);
    }

    List<Integer> sessionWindowUpdates() {
        return List.copyOf(sessionWindowUpdates);
    }

    List<Integer> dataLengths() {
        return List.copyOf(dataLengths);
    }
}
