package io.spdyconnector.protocol.client;

import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.StreamListener;

import java.util.function.BiFunction;

/** The client tests' echo handler, for tests in other packages. */
public final class SpdyClientTestSupport {
    private SpdyClientTestSupport() {
    }

    /** Answers with the method and path, then the request body; requests without a body at once. */
    public static BiFunction<SpdyStream, HeaderBlock, StreamListener> echo() {
        return SpdyClientTest.getsAnswered(SpdyClientTest.echo());
    }
}
