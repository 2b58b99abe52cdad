package io.spdyconnector.protocol.interop;

import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.NettyHeaderBlocks;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdySessionHandler;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.FrameObserver;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.spdyconnector.protocol.interop.NettyFrames.syn;
import static io.spdyconnector.protocol.interop.TestServerApp.pattern;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Netty as the client of a server session, at volume: megabytes under flow control, fifty
 * interleaved streams, and header blocks under every compression setting of both sides.
 */
class NettyClientFlowAndCompressionTest {
    private static final io.netty.handler.codec.spdy.SpdyVersion NETTY_3_1 = io.netty.handler.codec.spdy.SpdyVersion.SPDY_3_1;

    private final TestServerApp app = new TestServerApp();
    private final List<Frame> inbound = new CopyOnWriteArrayList<>();
    private NettyLink link;

    private NettyLink connect(SessionConfig.Builder config, io.netty.channel.ChannelHandler... netty) {
        config.frameObserver(new FrameObserver() {
            @Override
            public void inbound(Frame frame) {
                inbound.add(frame);
            }

            @Override
            public void outbound(Frame frame) {
            }
        });
        link = new NettyLink(new SpdySession(Role.SERVER, SpdyVersion.SPDY_3_1, config.build(), app), netty);
        return link;
    }

    private static SpdyFrameCodec codec() {
        return new SpdyFrameCodec(NETTY_3_1, 65536, 16384, 6, 15, 8);
    }

    @AfterEach
    void tearDown() {
        if (link != null) {
            link.close();
        }
    }

    @Test
    void eightMegabytesFlowUnderNettysOwnWindowUpdates() {
        int size = 8 << 20;
        // Netty's session handler keeps 64 KiB windows (stream and session) and sends WINDOW_UPDATE
        // as DATA arrives; it answers any overrun with RST_STREAM or GOAWAY, which would show below.
        NettyLink l = connect(SessionConfig.builder(), codec(), new SpdySessionHandler(NETTY_3_1, false));
        l.send(syn(1, 0, true, Sessions.get("/bytes/" + size)));

        List<String> trace = l.newTrace();
        assertThat(trace).first().isEqualTo("SETTINGS [MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536]");
        assertThat(trace).filteredOn(t -> t.startsWith("RST_STREAM") || t.startsWith("GOAWAY")).isEmpty();
        assertThat(trace).filteredOn(t -> t.startsWith("DATA")).hasSize(size / 16384)
                .allMatch(t -> t.startsWith("DATA #1 len=16384"))
                .last().isEqualTo("DATA #1 len=16384 fin");
        assertThat(l.body(1)).isEqualTo(pattern(size));

        // Netty credited the stream and the session in WINDOW_UPDATEs; each never more than was sent.
        long streamCredit = sumDeltas(1);
        long sessionCredit = sumDeltas(0);
        assertThat(streamCredit).isBetween((long) size - 65536, (long) size);
        assertThat(sessionCredit).isBetween((long) size - 65536, (long) size);
        assertThat(inbound).first().hasToString("SETTINGS [MAX_CONCURRENT_STREAMS=100]");
        assertThat(app.events).containsExactly("stream 1 pri=0 GET /bytes/" + size + " fin", "closed 1");
    }

    private long sumDeltas(int streamId) {
        return inbound.stream().filter(f -> f instanceof WindowUpdateFrame && ((WindowUpdateFrame) f).streamId() == streamId)
                .mapToLong(f -> ((WindowUpdateFrame) f).delta()).sum();
    }

    @Test
    void fiftyConcurrentStreamsInterleaveWithinTheWindows() {
        int streams = 50;
        int size = 40000;
        NettyLink l = connect(SessionConfig.builder(), codec());
        Object[] syns = new Object[streams];
        for (int i = 0; i < streams; i++) {
            syns[i] = syn(2 * i + 1, 0, true, Sessions.get("/bytes/" + size));
        }
        l.send(syns);

        // Netty's side keeps its own books: 64 KiB per stream and for the session (it never
        // raised them), credited back frame by frame as a reader that consumes at once would.
        Map<Integer, Integer> streamWindow = new HashMap<>();
        int sessionWindow = 65536;
        List<Integer> dataOrder = new ArrayList<>();
        Set<Integer> finished = new LinkedHashSet<>();
        int minSessionWindow = sessionWindow;
        List<String> fresh;
        while (!(fresh = l.newTrace()).isEmpty()) {
            List<Object> credit = new ArrayList<>();
            int sessionCredit = 0;
            for (String line : fresh) {
                if (!line.startsWith("DATA")) {
                    continue;
                }
                String[] parts = line.split(" ");
                int id = Integer.parseInt(parts[1].substring(1));
                int len = Integer.parseInt(parts[2].substring(4));
                int w = streamWindow.getOrDefault(id, 65536) - len;
                streamWindow.put(id, w);
                sessionWindow -= len;
                minSessionWindow = Math.min(minSessionWindow, sessionWindow);
                assertThat(w).as("stream %d window", id).isNotNegative();
                assertThat(sessionWindow).as("session window").isNotNegative();
                dataOrder.add(id);
                if (line.endsWith(" fin")) {
                    finished.add(id);
                } else {
                    credit.add(new DefaultSpdyWindowUpdateFrame(id, len));
                }
                credit.add(new DefaultSpdyWindowUpdateFrame(0, len));
                sessionCredit += len;
            }
            if (!credit.isEmpty()) {
                // The credit reaches the session before whatever it sends next.
                for (Object c : credit) {
                    DefaultSpdyWindowUpdateFrame u = (DefaultSpdyWindowUpdateFrame) c;
                    if (u.streamId() != 0) {
                        streamWindow.merge(u.streamId(), u.deltaWindowSize(), Integer::sum);
                    }
                }
                sessionWindow += sessionCredit;
                l.send(credit.toArray());
            }
        }

        assertThat(finished).hasSize(streams);
        for (int i = 0; i < streams; i++) {
            assertThat(l.body(2 * i + 1)).as("body of stream %d", 2 * i + 1).isEqualTo(pattern(size));
        }
        // The session window was the limit: it ran dry, and frames were cut to what it had left.
        assertThat(minSessionWindow).isZero();
        assertThat(dataOrder.size()).isGreaterThan(3 * streams);
        // Round-robin: the first fifty DATA frames serve fifty different streams, and every
        // stream has begun before any one has finished.
        assertThat(new LinkedHashSet<>(dataOrder.subList(0, streams))).hasSize(streams);
        int lastFirstFrame = 0;
        for (int id : finished) {
            lastFirstFrame = Math.max(lastFirstFrame, dataOrder.indexOf(id));
        }
        int firstFin = dataOrder.size();
        for (int id : finished) {
            firstFin = Math.min(firstFin, dataOrder.lastIndexOf(id));
        }
        assertThat(lastFirstFrame).isLessThan(firstFin);
    }

    @ParameterizedTest
    @EnumSource(CompressionPolicy.class)
    void ourHeaderBlocksUnderEveryPolicyAreReadByNetty(CompressionPolicy policy) {
        NettyLink l = connect(SessionConfig.builder().compressionPolicy(policy), codec());
        // Stream 1 stays open for the first half, so the compression context is kept; later the
        // session is idle between requests and rebuilds its deflater from the retained window.
        l.send(syn(1, 0, true, Sessions.get("/hold")));
        int requests = 24;
        for (int i = 0; i < requests; i++) {
            if (i == requests / 2) {
                app.streams.get(1).data(TestServerApp.ascii("."), true, app.callback("data"));
            }
            int id = 2 * i + 3;
            l.send(syn(id, 0, true, Sessions.get("/headers/" + i)));
        }
        List<SpdyFrame> replies = l.frames.stream()
                .filter(f -> f instanceof io.netty.handler.codec.spdy.SpdySynReplyFrame).toList();
        assertThat(replies).hasSize(requests + 1);
        for (int i = 0; i < requests; i++) {
            SpdyHeadersFrame reply = (SpdyHeadersFrame) replies.get(i + 1);
            HeaderBlock expected = new HeaderBlock();
            TestServerApp.RESPONSE_HEADERS.forEach(expected::add);
            expected.add("x-request-path", "/headers/" + i);
            assertThat(reply.isInvalid()).isFalse();
            assertThat(reply.isTruncated()).isFalse();
            assertThat(reply.streamId()).isEqualTo(2 * i + 3);
            // Names are unique in a block, so order carries no meaning (SAFE sends secrets last).
            assertThat(NettyFrames.byName(NettyFrames.toBlock(reply.headers()))).isEqualTo(NettyFrames.byName(expected));
        }
        assertThat(l.trace).filteredOn(t -> t.startsWith("RST_STREAM") || t.startsWith("GOAWAY")).isEmpty();
    }

    @ParameterizedTest(name = "JDK deflater level {0}")
    @ValueSource(ints = {0, 1, 6, 9})
    void nettysHeaderBlocksAtEveryLevelAreReadBySession(int level) {
        NettyLink l = connect(SessionConfig.builder(), new SpdyFrameCodec(NETTY_3_1, 65536, 16384, level, 15, 8));
        sendCorpusAndCheck(l);
    }

    @ParameterizedTest(name = "JZlib level {0}, window bits {1}, memory level {2}, reads of {3} bytes")
    @CsvSource({
        "0, 9, 1, 5",
        "1, 9, 1, 1000000",
        "6, 10, 4, 3",
        "9, 11, 8, 1000000",
        "6, 12, 9, 17",
        "9, 13, 3, 1000000",
        "1, 14, 9, 64",
        "9, 15, 9, 1000000",
    })
    void nettysJZlibHeaderBlocksWithEveryWindowAreReadBySession(int level, int windowBits, int memLevel, int chunk) {
        NettyLink l = connect(SessionConfig.builder(), NettyHeaderBlocks.jzlibFrameCodec(65536, level, windowBits, memLevel));
        l.receiveChunk = chunk;
        sendCorpusAndCheck(l);
    }

    /** Sends the request corpus (idle between some requests, overlapping others) and compares. */
    private void sendCorpusAndCheck(NettyLink l) {
        List<HeaderBlock> corpus = HeaderCorpus.requests(40, 7);
        for (int i = 0; i < corpus.size(); i++) {
            DefaultSpdySynStreamFrame f = syn(2 * i + 1, i % 8, true, corpus.get(i));
            if (i % 3 == 0) {
                l.send(f);
            } else {
                l.channel.write(f);
            }
        }
        l.send();
        for (int i = 0; i < corpus.size(); i++) {
            assertThat(app.requests.get(2 * i + 1)).as("request %d", i).isEqualTo(corpus.get(i));
        }
        assertThat(l.trace).filteredOn(t -> t.startsWith("RST_STREAM") || t.startsWith("GOAWAY")).isEmpty();
        assertThat(l.trace).filteredOn(t -> t.startsWith("SYN_REPLY")).hasSize(corpus.size());
    }
}
