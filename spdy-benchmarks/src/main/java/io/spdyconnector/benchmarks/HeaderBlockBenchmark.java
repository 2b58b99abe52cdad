package io.spdyconnector.benchmarks;

import io.spdyconnector.protocol.codec.WriteBuffer;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.hpack.HpackDecoder;
import org.eclipse.jetty.http2.hpack.HpackEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One request and one response header block, encoded and decoded through persistent session
 * contexts, per operation: SPDY under each compression policy, and Jetty's HPACK on the same
 * headers in the same run. {@code idleRelease} also ends and rebuilds the native zlib state around
 * every block, as an idle session does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HeaderBlockBenchmark {
    private static final int PATHS = 64;

    @Param({"NONE", "FAST", "BEST", "SAFE"})
    public CompressionPolicy policy;

    @Param({"false", "true"})
    public boolean idleRelease;

    private HeaderBlock[] requests;
    private HeaderBlock response;
    private HeaderBlockEncoder requestEncoder;
    private HeaderBlockEncoder responseEncoder;
    private HeaderBlockDecoder requestDecoder;
    private HeaderBlockDecoder responseDecoder;
    private final WriteBuffer out = new WriteBuffer(4096);

    private MetaData.Request[] jettyRequests;
    private MetaData.Response jettyResponse;
    private HpackEncoder hpackRequestEncoder;
    private HpackEncoder hpackResponseEncoder;
    private HpackDecoder hpackRequestDecoder;
    private HpackDecoder hpackResponseDecoder;
    private final ByteBuffer hpackBuffer = ByteBuffer.allocate(4096);
    private int n;

    @Setup(Level.Trial)
    public void setUp() {
        requests = new HeaderBlock[PATHS];
        jettyRequests = new MetaData.Request[PATHS];
        for (int i = 0; i < PATHS; i++) {
            requests[i] = TypicalHeaders.spdyRequest(i);
            jettyRequests[i] = TypicalHeaders.jettyRequest(i);
        }
        response = TypicalHeaders.spdyResponse();
        jettyResponse = TypicalHeaders.jettyResponse();
        requestEncoder = new HeaderBlockEncoder(policy);
        responseEncoder = new HeaderBlockEncoder(policy);
        requestDecoder = new HeaderBlockDecoder(100, 1 << 17);
        responseDecoder = new HeaderBlockDecoder(100, 1 << 17);
        hpackRequestEncoder = new HpackEncoder();
        hpackResponseEncoder = new HpackEncoder();
        hpackRequestDecoder = new HpackDecoder(16384, System::nanoTime);
        hpackResponseDecoder = new HpackDecoder(16384, System::nanoTime);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        requestEncoder.close();
        responseEncoder.close();
        requestDecoder.close();
        responseDecoder.close();
    }

    @Benchmark
    public Object spdy() throws SessionException {
        HeaderBlock request = requests[n++ & (PATHS - 1)];
        HeaderBlock decodedRequest = roundTrip(request, requestEncoder, requestDecoder);
        HeaderBlock decodedResponse = roundTrip(response, responseEncoder, responseDecoder);
        return decodedRequest.size() + decodedResponse.size();
    }

    private HeaderBlock roundTrip(HeaderBlock headers, HeaderBlockEncoder encoder, HeaderBlockDecoder decoder)
            throws SessionException {
        out.clear();
        encoder.encode(headers, out);
        decoder.begin(16384);
        decoder.feed(ByteBuffer.wrap(out.array(), 0, out.position()));
        HeaderBlock decoded = decoder.finish();
        if (idleRelease) {
            encoder.release();
            decoder.release();
        }
        return decoded;
    }

    @Benchmark
    public Object hpack() throws Exception {
        MetaData.Request request = jettyRequests[n++ & (PATHS - 1)];
        hpackBuffer.clear();
        hpackRequestEncoder.encode(hpackBuffer, request);
        hpackBuffer.flip();
        MetaData decodedRequest = hpackRequestDecoder.decode(hpackBuffer);
        hpackBuffer.clear();
        hpackResponseEncoder.encode(hpackBuffer, jettyResponse);
        hpackBuffer.flip();
        MetaData decodedResponse = hpackResponseDecoder.decode(hpackBuffer);
        return decodedRequest.getHttpFields().size() + decodedResponse.getHttpFields().size();
    }
}
