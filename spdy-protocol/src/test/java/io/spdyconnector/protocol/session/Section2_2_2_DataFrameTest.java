package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.ok;
import static io.spdyconnector.protocol.testing.Sessions.post;
import static io.spdyconnector.protocol.testing.Sessions.syn;
import static org.assertj.core.api.Assertions.assertThat;

class Section2_2_2_DataFrameTest {

    private static DataFrame data(int id, String s, boolean fin) {
        return new DataFrame(id, ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)), fin);
    }

    @Test
    void dataOnAStreamNeverOpenedIsInvalidStream() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/")), data(3, "x", false));
            assertThat(client.trace()).containsExactly("RST_STREAM #3 INVALID_STREAM");
        }
    }

    @Test
    void dataAfterThePeersFinIsStreamAlreadyClosed() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")), data(1, "x", false));
            // SPEC §2.3.6
            assertThat(client.trace()).containsExactly("RST_STREAM #1 STREAM_ALREADY_CLOSED");
        }
    }

    @Test
    void dataOnAClosedStreamIsProtocolError() {
        RecordingListener app = new RecordingListener((stream, headers) -> {
            stream.reply(ok(), true, WriteCallback.NOOP);
            return new StreamListener() { };
        });
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")));
            client.read();
            client.send(data(1, "late", false));
            // SPEC §2.3.7
            assertThat(client.trace()).containsExactly("RST_STREAM #1 PROTOCOL_ERROR");
        }
    }

    @Test
    void aServerSessionThatStartsWithDataIsNotSpdy() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.sendBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.trace()).containsExactly("GOAWAY last=0 PROTOCOL_ERROR");
            assertThat(client.transportClosed).isTrue();
        }
    }

    @Test
    void dataPiecesAreDeliveredAsTheyArriveWithoutWaitingForTheFrame() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/")));
            byte[] frame = client.bytes(data(1, "abcdef", true));
            server.receive(ByteBuffer.wrap(frame, 0, 11));
            server.receive(ByteBuffer.wrap(frame, 11, frame.length - 11));
            assertThat(app.events).containsSubsequence("data 1 abc", "data 1 def fin");
        }
    }
    @Test
    void anEmptyWriteWithoutFinPutsNothingOnTheWireAndCompletes() {
        java.util.concurrent.atomic.AtomicReference<SpdyStream> opened = new java.util.concurrent.atomic.AtomicReference<>();
        RecordingListener app = new RecordingListener((stream, headers) -> {
            opened.set(stream);
            stream.reply(ok(), false, WriteCallback.NOOP);
            return new StreamListener() { };
        });
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")));
            assertThat(client.trace()).hasSize(1).allMatch(f -> f.startsWith("SYN_REPLY #1"));
            java.util.concurrent.CompletableFuture<Void> flushed = new java.util.concurrent.CompletableFuture<>();
            opened.get().data(ByteBuffer.allocate(0), false, new WriteCallback() {
                @Override
                public void succeeded() {
                    flushed.complete(null);
                }

                @Override
                public void failed(Throwable cause) {
                    flushed.completeExceptionally(cause);
                }
            });
            assertThat(client.trace()).isEmpty();
            assertThat(flushed).isCompleted();
        }
    }
}
