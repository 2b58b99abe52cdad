package io.spdyconnector.it.client;

import io.spdyconnector.it.target.RunningTargets;
import io.spdyconnector.it.target.Target;

import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** A channel's client, open on its running target, next to the HTTP/1.1 control of that target. */
public final class ChannelUnderTest implements AutoCloseable {
    private final Channel channel;
    private final Target target;
    private final ChannelClient spdy;

    private ChannelUnderTest(Channel channel, Target target) {
        this.channel = channel;
        this.target = target;
        this.spdy = channel.open(target);
    }

    /** Starts the channel's target if needed and opens a new session to it. */
    public static ChannelUnderTest open(Channel channel) {
        return new ChannelUnderTest(channel, RunningTargets.get(channel.target()));
    }

    public Target target() {
        return target;
    }

    public ChannelClient spdy() {
        return spdy;
    }

    /** Over SPDY, checking that the channel's protocol was negotiated. */
    public TestResponse overSpdy(TestRequest request) throws Exception {
        TestResponse r = spdy.exchange(request);
        assertThat(r.protocol()).as("protocol of %s", request).isEqualTo(channel.transport().version().protocolName());
        return r;
    }

    /** Over HTTP/1.1, to the same target. */
    public TestResponse overHttp11(TestRequest request) throws Exception {
        return Http11Control.exchange(channel.transport().http11Origin(target), request);
    }

    /** Sends {@code request} over SPDY and over HTTP/1.1, asserts the same response, and returns SPDY's. */
    public TestResponse sameAsHttp11(TestRequest request) throws Exception {
        return sameAsHttp11(request, UnaryOperator.identity());
    }

    /** The same, comparing the responses as {@code normalize} leaves them (for what differs by design). */
    public TestResponse sameAsHttp11(TestRequest request, UnaryOperator<TestResponse> normalize) throws Exception {
        TestResponse overSpdy = overSpdy(request);
        ResponseComparison.assertSameResponse(request, normalize.apply(overSpdy), normalize.apply(overHttp11(request)));
        return overSpdy;
    }

    @Override
    public void close() {
        spdy.close();
    }
}
