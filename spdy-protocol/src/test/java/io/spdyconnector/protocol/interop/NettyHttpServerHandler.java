package io.spdyconnector.protocol.interop;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.SpdyHttpHeaders;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The HTTP application of the Netty SPDY server, behind {@code SpdyHttpCodec}: it sees whole
 * requests and answers by path, like {@link TestServerApp} does on our side.
 * <ul>
 *   <li>{@code /echo}: the body back, with {@code x-request-bytes} and the request's content type</li>
 *   <li>{@code /bytes/N}: N bytes of {@link TestServerApp#pattern}</li>
 *   <li>{@code /trailers}: "body" then trailers (Netty sends them as HEADERS with FIN)</li>
 *   <li>{@code /pushed}: before its answer, pushes {@code /style.css} on stream 2 the way Netty's
 *       HTTP layer does it: a request message becomes the SYN_STREAM, a response message the HEADERS</li>
 * </ul>
 * Each request is recorded as {@code METHOD uri version host=... bytes=N [x-custom=...] [cookie=...]}.
 */
final class NettyHttpServerHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String PUSHED_CSS = "body { color: #333 }";

    private final List<String> requests;

    NettyHttpServerHandler(List<String> requests) {
        this.requests = requests;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        int streamId = req.headers().getInt(SpdyHttpHeaders.Names.STREAM_ID);
        byte[] body = ByteBufUtil.getBytes(req.content());
        String custom = req.headers().get("x-custom");
        String cookie = req.headers().get(HttpHeaderNames.COOKIE);
        requests.add(req.method() + " " + req.uri() + " " + req.protocolVersion() + " host="
                + req.headers().get(HttpHeaderNames.HOST) + " bytes=" + body.length
                + (custom == null ? "" : " x-custom=" + custom) + (cookie == null ? "" : " cookie=" + cookie));
        String uri = req.uri();
        FullHttpResponse resp;
        if (uri.equals("/echo")) {
            resp = response(HttpResponseStatus.OK, body);
            resp.headers().set("x-request-bytes", body.length);
            String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (type != null) {
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            }
        } else if (uri.startsWith("/bytes/")) {
            resp = response(HttpResponseStatus.OK, TestServerApp.pattern(Integer.parseInt(uri.substring(7))));
        } else if (uri.equals("/trailers")) {
            resp = response(HttpResponseStatus.OK, "body".getBytes(StandardCharsets.US_ASCII));
            resp.trailingHeaders().set("x-checksum", "c0ffee");
        } else if (uri.equals("/pushed")) {
            push(ctx, streamId);
            resp = response(HttpResponseStatus.OK, "<link href=/style.css>".getBytes(StandardCharsets.US_ASCII));
        } else {
            resp = response(HttpResponseStatus.NOT_FOUND, new byte[0]);
        }
        resp.headers().setInt(SpdyHttpHeaders.Names.STREAM_ID, streamId);
        ctx.writeAndFlush(resp);
    }

    private static void push(ChannelHandlerContext ctx, int associatedStreamId) {
        FullHttpRequest promise = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/style.css");
        promise.headers().setInt(SpdyHttpHeaders.Names.STREAM_ID, 2);
        promise.headers().setInt(SpdyHttpHeaders.Names.ASSOCIATED_TO_STREAM_ID, associatedStreamId);
        promise.headers().set(HttpHeaderNames.HOST, "example.com");
        ctx.write(promise);
        FullHttpResponse pushed = response(HttpResponseStatus.OK, PUSHED_CSS.getBytes(StandardCharsets.US_ASCII));
        pushed.headers().setInt(SpdyHttpHeaders.Names.STREAM_ID, 2);
        pushed.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/css");
        ctx.write(pushed);
    }

    private static FullHttpResponse response(HttpResponseStatus status, byte[] body) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    }
}
