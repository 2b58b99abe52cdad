package io.spdyconnector.protocol.interop;

import io.spdyconnector.protocol.codec.FrameDecoder;
import io.spdyconnector.protocol.codec.FrameEncoder;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.GoAwayFrame;
import io.spdyconnector.protocol.frame.HeadersFrame;
import io.spdyconnector.protocol.frame.PingFrame;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.SynReplyFrame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;
import io.spdyconnector.protocol.testing.FrameCollector;
import org.jboss.netty.buffer.ChannelBuffer;
import org.jboss.netty.buffer.ChannelBuffers;
import org.jboss.netty.handler.codec.embedder.DecoderEmbedder;
import org.jboss.netty.handler.codec.embedder.EncoderEmbedder;
import org.jboss.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import org.jboss.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import org.jboss.netty.handler.codec.spdy.DefaultSpdyHeadersFrame;
import org.jboss.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import org.jboss.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import org.jboss.netty.handler.codec.spdy.DefaultSpdySettingsFrame;
import org.jboss.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import org.jboss.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import org.jboss.netty.handler.codec.spdy.SpdyDataFrame;
import org.jboss.netty.handler.codec.spdy.SpdyFrameDecoder;
import org.jboss.netty.handler.codec.spdy.SpdyFrameEncoder;
import org.jboss.netty.handler.codec.spdy.SpdyGoAwayFrame;
import org.jboss.netty.handler.codec.spdy.SpdyHeadersFrame;
import org.jboss.netty.handler.codec.spdy.SpdyPingFrame;
import org.jboss.netty.handler.codec.spdy.SpdyRstStreamFrame;
import org.jboss.netty.handler.codec.spdy.SpdySettingsFrame;
import org.jboss.netty.handler.codec.spdy.SpdySynReplyFrame;
import org.jboss.netty.handler.codec.spdy.SpdySynStreamFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPDY/2 against an independent implementation: Netty 3.7's codec, the last Netty that spoke
 * version 2. Each side encodes a full exchange (every frame type SPDY/2 has, several header blocks
 * on one compression context) and the other decodes it, so a dialect detail both of our sides got
 * wrong the same way cannot pass.
 */
class Spdy2NettyCodecTest {
    private static final HeaderBlock REQUEST = HeaderBlock.of(":method", "GET", ":path", "/index.html?q=1",
            ":version", "HTTP/1.1", ":host", "example.com", ":scheme", "https", "accept-encoding", "gzip, deflate",
            "cookie", "a=1");
    private static final HeaderBlock RESPONSE = HeaderBlock.of(":status", "200 OK", ":version", "HTTP/1.1",
            "content-type", "text/html", "set-cookie", "a=1", "set-cookie", "b=2");

    @ParameterizedTest
    @EnumSource(CompressionPolicy.class)
    void nettyDecodesWhatWeEncode(CompressionPolicy policy) {
        FrameEncoder encoder = new FrameEncoder(new HeaderBlockEncoder(policy));
        encoder.version(FrameDecoder.VERSION_2);
        DecoderEmbedder<Object> netty = new DecoderEmbedder<>(new SpdyFrameDecoder(2));
        List<Frame> frames = List.of(
                new SettingsFrame(false, List.of(new Setting(Setting.FLAG_PERSIST_VALUE, Setting.MAX_CONCURRENT_STREAMS, 100),
                        new Setting(0, Setting.ROUND_TRIP_TIME, 250))),
                new SynStreamFrame(1, 0, 2, 0, true, false, REQUEST),
                new SynReplyFrame(1, false, RESPONSE),
                new DataFrame(1, ByteBuffer.wrap("body".getBytes(StandardCharsets.US_ASCII)), false),
                new HeadersFrame(1, true, HeaderBlock.of("x-trailer", "done")),
                new SynStreamFrame(2, 1, 6, 0, false, true, HeaderBlock.of(":path", "/style.css")),
                new RstStreamFrame(2, 5),
                new PingFrame(7),
                new GoAwayFrame(1, 0));
        for (Frame f : frames) {
            for (ByteBuffer b : encoder.encode(f)) {
                netty.offer(ChannelBuffers.wrappedBuffer(b));
            }
        }
        List<Object> decoded = drain(netty);
        assertThat(decoded).hasSize(frames.size());

        SpdySettingsFrame settings = (SpdySettingsFrame) decoded.get(0);
        assertThat(settings.getValue(SpdySettingsFrame.SETTINGS_MAX_CONCURRENT_STREAMS)).isEqualTo(100);
        assertThat(settings.isPersistValue(SpdySettingsFrame.SETTINGS_MAX_CONCURRENT_STREAMS)).isTrue();
        assertThat(settings.getValue(SpdySettingsFrame.SETTINGS_ROUND_TRIP_TIME)).isEqualTo(250);

        SpdySynStreamFrame syn = (SpdySynStreamFrame) decoded.get(1);
        assertThat(syn.getStreamId()).isEqualTo(1);
        assertThat(syn.isLast()).isTrue();
        assertThat(syn.isInvalid()).isFalse();
        // Two priority bits: SPDY/3's 2 is SPDY/2's 1.
        assertThat(syn.getPriority()).isEqualTo((byte) 1);
        assertThat(headers(syn)).containsExactly("method: GET", "url: /index.html?q=1", "version: HTTP/1.1",
                "host: example.com", "scheme: https", "accept-encoding: gzip, deflate", "cookie: a=1");

        SpdySynReplyFrame reply = (SpdySynReplyFrame) decoded.get(2);
        assertThat(headers(reply)).containsExactly("status: 200 OK", "version: HTTP/1.1", "content-type: text/html",
                "set-cookie: a=1", "set-cookie: b=2");
        SpdyDataFrame data = (SpdyDataFrame) decoded.get(3);
        assertThat(data.getData().toString(StandardCharsets.US_ASCII)).isEqualTo("body");
        SpdyHeadersFrame trailer = (SpdyHeadersFrame) decoded.get(4);
        assertThat(trailer.isLast()).isTrue();
        assertThat(headers(trailer)).containsExactly("x-trailer: done");
        SpdySynStreamFrame push = (SpdySynStreamFrame) decoded.get(5);
        assertThat(push.getAssociatedToStreamId()).isEqualTo(1);
        assertThat(push.isUnidirectional()).isTrue();
        assertThat(push.getPriority()).isEqualTo((byte) 3);
        assertThat(((SpdyRstStreamFrame) decoded.get(6)).getStatus().getCode()).isEqualTo(5);
        assertThat(((SpdyPingFrame) decoded.get(7)).getId()).isEqualTo(7);
        assertThat(((SpdyGoAwayFrame) decoded.get(8)).getLastGoodStreamId()).isEqualTo(1);
    }

    @Test
    void weDecodeWhatNettyEncodes() throws SessionException {
        EncoderEmbedder<ChannelBuffer> netty = new EncoderEmbedder<>(new SpdyFrameEncoder(2));
        DefaultSpdySettingsFrame settings = new DefaultSpdySettingsFrame();
        settings.setValue(SpdySettingsFrame.SETTINGS_MAX_CONCURRENT_STREAMS, 100, true, false);
        settings.setValue(SpdySettingsFrame.SETTINGS_CURRENT_CWND, 10);
        netty.offer(settings);
        DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(1, 0, (byte) 3);
        syn.setLast(true);
        for (String line : List.of("method: GET", "url: /a", "version: HTTP/1.1", "host: example.com", "scheme: http",
                "user-agent: old-client")) {
            int colon = line.indexOf(": ");
            syn.addHeader(line.substring(0, colon), line.substring(colon + 2));
        }
        netty.offer(syn);
        DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(1);
        reply.addHeader("status", "404 Not Found");
        reply.addHeader("version", "HTTP/1.1");
        netty.offer(reply);
        DefaultSpdyDataFrame data = new DefaultSpdyDataFrame(1);
        data.setData(ChannelBuffers.copiedBuffer("gone", StandardCharsets.US_ASCII));
        data.setLast(true);
        netty.offer(data);
        DefaultSpdyHeadersFrame more = new DefaultSpdyHeadersFrame(3);
        more.addHeader("x-more", "yes");
        netty.offer(more);
        netty.offer(new DefaultSpdyRstStreamFrame(3, 2));
        netty.offer(new DefaultSpdyPingFrame(2));
        netty.offer(new DefaultSpdyGoAwayFrame(3));

        FrameCollector collector = new FrameCollector();
        FrameDecoder decoder = new FrameDecoder(collector, new HeaderBlockDecoder(100, 1 << 20), 65536);
        decoder.version(FrameDecoder.VERSION_2);
        for (Object o : drain(netty)) {
            decoder.decode(((ChannelBuffer) o).toByteBuffer());
        }
        assertThat(collector.problems).isEmpty();
        assertThat(collector.frames).extracting(Frame::toString).containsExactly(
                "SETTINGS [MAX_CONCURRENT_STREAMS=100 persist, CURRENT_CWND=10]",
                // Netty 3 writes its headers in the order of its hash table.
                "SYN_STREAM #1 pri=6 fin [:host: example.com, :method: GET, :scheme: http, :path: /a, "
                        + "user-agent: old-client, :version: HTTP/1.1]",
                "SYN_REPLY #1 [:status: 404 Not Found, :version: HTTP/1.1]",
                "DATA #1 len=4 fin",
                "HEADERS #3 [x-more: yes]",
                "RST_STREAM #3 INVALID_STREAM",
                "PING id=2",
                "GOAWAY last=3 OK");
    }

    private static List<String> headers(SpdyHeadersFrame frame) {
        List<String> lines = new ArrayList<>();
        frame.getHeaders().forEach(e -> lines.add(e.getKey() + ": " + e.getValue()));
        return lines;
    }

    private static List<Object> drain(DecoderEmbedder<Object> embedder) {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = embedder.poll()) != null) {
            out.add(o);
        }
        return out;
    }

    private static List<Object> drain(EncoderEmbedder<ChannelBuffer> embedder) {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = embedder.poll()) != null) {
            out.add(o);
        }
        return out;
    }
}
