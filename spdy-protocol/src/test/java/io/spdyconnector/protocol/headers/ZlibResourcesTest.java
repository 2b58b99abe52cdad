package io.spdyconnector.protocol.headers;

import io.spdyconnector.protocol.codec.FrameDecoder;
import io.spdyconnector.protocol.codec.WriteBuffer;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.headers.ZlibPeers.JdkPeer;
import io.spdyconnector.protocol.headers.ZlibPeers.Nv;
import io.spdyconnector.protocol.testing.FrameCollector;
import io.spdyconnector.protocol.testing.Hex;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Native zlib memory is not collected in time: every path must end exactly what it created. */
class ZlibResourcesTest {
    private int inflaters;
    private int deflaters;

    @BeforeEach
    void baseline() {
        inflaters = ZlibResources.liveInflaters();
        deflaters = ZlibResources.liveDeflaters();
    }

    private void assertLive(int extraInflaters, int extraDeflaters) {
        assertThat(ZlibResources.liveInflaters() - inflaters).as("live inflaters over baseline").isEqualTo(extraInflaters);
        assertThat(ZlibResources.liveDeflaters() - deflaters).as("live deflaters over baseline").isEqualTo(extraDeflaters);
    }

    private static void decode(HeaderBlockDecoder decoder, byte[] block) throws SessionException {
        decoder.begin(16384);
        decoder.feed(ByteBuffer.wrap(block));
        decoder.finish();
    }

    @Test
    void decoderEndsItsInflaterOnClose() throws SessionException {
        HeaderBlockDecoder decoder = new HeaderBlockDecoder(100, 1 << 17);
        assertLive(0, 0);
        try (JdkPeer peer = new JdkPeer(6)) {
            for (int i = 0; i < 3; i++) {
                decode(decoder, peer.block(Nv.pairs("a", "b" + i)));
            }
        }
        assertLive(1, 0);
        decoder.close();
        assertLive(0, 0);
        decoder.close();
        decoder.release();
        assertLive(0, 0);
    }

    @Test
    void decoderReleaseEndsAndTheNextBlockRecreatesOne() throws SessionException {
        try (HeaderBlockDecoder decoder = new HeaderBlockDecoder(100, 1 << 17); JdkPeer peer = new JdkPeer(6)) {
            for (int i = 0; i < 5; i++) {
                decode(decoder, peer.block(Nv.pairs("a", "b" + i)));
                assertLive(1, 0);
                decoder.release();
                assertLive(0, 0);
                decoder.release();
                assertLive(0, 0);
            }
        }
        assertLive(0, 0);
    }

    @Test
    void decoderClosedInTheMiddleOfABlock() throws SessionException {
        HeaderBlockDecoder decoder = new HeaderBlockDecoder(100, 1 << 17);
        try (JdkPeer peer = new JdkPeer(6)) {
            byte[] block = peer.block(Nv.pairs("a", "b".repeat(500)));
            decoder.begin(16384);
            decoder.feed(ByteBuffer.wrap(block, 0, block.length / 2));
            decoder.release();
            assertLive(1, 0);
            decoder.close();
            assertLive(0, 0);
            assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(block, block.length / 2, 4)))
                    .isInstanceOf(SessionException.class);
            assertLive(0, 0);
        }
    }

    @Test
    void decoderClosedAfterASessionError() throws SessionException {
        HeaderBlockDecoder decoder = new HeaderBlockDecoder(100, 1 << 17);
        try (JdkPeer peer = new JdkPeer(6)) {
            decode(decoder, peer.block(Nv.pairs("a", "b")));
            byte[] corrupt = Hex.bytes("06 ff ff ff ff 00 00 00 ff ff");
            assertThatThrownBy(() -> decode(decoder, corrupt)).isInstanceOf(SessionException.class);
            decoder.release();
            assertLive(1, 0);
        }
        decoder.close();
        assertLive(0, 0);
    }

    @Test
    void decoderThatSawOnlyTheZlibHeaderNeverCreatedAnInflater() throws SessionException {
        try (HeaderBlockDecoder decoder = new HeaderBlockDecoder(100, 1 << 17)) {
            decoder.begin(16384);
            decoder.feed(ByteBuffer.wrap(Hex.bytes("38 30 e3 c6 a7 c2")));
            assertLive(0, 0);
            assertThat(decoder.holdsNativeState()).isFalse();
        }
        assertLive(0, 0);
    }

    /** The whole inbound path: a frame decoder whose header block is corrupt, then the session closes. */
    @Test
    void frameDecoderFailingInsideAHeaderBlock() {
        HeaderBlockDecoder headers = new HeaderBlockDecoder(100, 1 << 17);
        FrameDecoder frames = new FrameDecoder(new FrameCollector(), headers, 65536);
        byte[] synReply = Hex.bytes("80 03 00 02 00 00 00 10 | 00 00 00 01 | 78 bb e3 c6 a7 c2 | 06 ff ff ff ff 00");
        assertThatThrownBy(() -> frames.decode(ByteBuffer.wrap(synReply))).isInstanceOf(SessionException.class);
        assertLive(1, 0);
        headers.close();
        assertLive(0, 0);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionPolicy.class, names = {"FAST", "BEST", "SAFE"})
    void encoderEndsItsDeflaterOnReleaseAndClose(CompressionPolicy policy) {
        HeaderBlockEncoder encoder = new HeaderBlockEncoder(policy);
        WriteBuffer out = new WriteBuffer(256);
        encoder.encode(HeaderBlock.of("cookie", "secret", ":path", "/"), out);
        assertLive(0, 1);
        encoder.release();
        assertLive(0, 0);
        encoder.encode(HeaderBlock.of("cookie", "secret", ":path", "/a"), out);
        assertLive(0, 1);
        encoder.close();
        assertLive(0, 0);
        encoder.close();
        encoder.release();
        assertLive(0, 0);
    }

    @Test
    void encoderUnderNoneNeverCreatesADeflater() {
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(CompressionPolicy.NONE)) {
            encoder.encode(HeaderBlock.of(":status", "200"), new WriteBuffer(64));
            assertLive(0, 0);
        }
        assertLive(0, 0);
    }

    /** A closed encoder refuses to start a second, headerless zlib stream (and a deflater nobody would end). */
    @ParameterizedTest
    @EnumSource(CompressionPolicy.class)
    void encoderRefusesToEncodeAfterClose(CompressionPolicy policy) {
        HeaderBlockEncoder encoder = new HeaderBlockEncoder(policy);
        encoder.encode(HeaderBlock.of(":status", "200"), new WriteBuffer(64));
        encoder.close();
        assertThatThrownBy(() -> encoder.encode(HeaderBlock.of(":status", "204"), new WriteBuffer(64)))
                .isInstanceOf(IllegalStateException.class).hasMessage("header encoder closed");
        assertLive(0, 0);
    }
}
