package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Collectors;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.ok;
import static org.assertj.core.api.Assertions.assertThat;

class Section2_3_3_PriorityTest {

    private static RecordingListener respondingWith(int bytes) {
        return new RecordingListener((stream, headers) -> {
            stream.reply(ok(), false, WriteCallback.NOOP);
            stream.data(ByteBuffer.allocate(bytes), true, WriteCallback.NOOP);
            return new StreamListener() { };
        });
    }

    private static String dataOrder(List<Frame> frames) {
        return frames.stream().filter(f -> f instanceof DataFrame).map(f -> String.valueOf(((DataFrame) f).streamId()))
                .collect(Collectors.joining(","));
    }

    @Test
    void higherPriorityStreamsGoFirst() {
        SpdySession server = Sessions.server(respondingWith(32768), SessionConfig.builder().maxOutputBatchBytes(1 << 20)
                .build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(new WindowUpdateFrame(0, 1 << 20));
            client.send(new SynStreamFrame(1, 0, 7, 0, true, false, get("/low")),
                    new SynStreamFrame(3, 0, 0, 0, true, false, get("/high")),
                    new SynStreamFrame(5, 0, 3, 0, true, false, get("/mid")));
            assertThat(dataOrder(client.read())).isEqualTo("3,3,5,5,1,1");
        }
    }

    @Test
    void streamsOfOnePriorityTakeTurns() {
        SpdySession server = Sessions.server(respondingWith(49152), SessionConfig.builder().maxOutputBatchBytes(1 << 20)
                .build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(new WindowUpdateFrame(0, 1 << 20));
            client.send(new SynStreamFrame(1, 0, 4, 0, true, false, get("/a")),
                    new SynStreamFrame(3, 0, 4, 0, true, false, get("/b")));
            assertThat(dataOrder(client.read())).isEqualTo("1,3,1,3,1,3");
        }
    }

    @Test
    void controlFramesOvertakeQueuedData() {
        SpdySession server = Sessions.server(respondingWith(1 << 20), SessionConfig.builder().maxOutputBatchBytes(16384)
                .build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(new WindowUpdateFrame(0, 1 << 20), new WindowUpdateFrame(1, 1 << 20));
            client.send(new SynStreamFrame(1, 0, 0, 0, true, false, get("/big")));
            // One batch went out; the ping echo jumps ahead of the remaining DATA.
            io.spdyconnector.protocol.session.OutputBatch first = server.pollOutput();
            server.outputWritten(first);
            client.send(new io.spdyconnector.protocol.frame.PingFrame(1));
            List<String> next = client.trace();
            assertThat(next.get(0)).isEqualTo("PING id=1");
        }
    }
}
