package io.spdyconnector.protocol.testing;

import org.jboss.netty.bootstrap.ClientBootstrap;
import org.jboss.netty.buffer.ChannelBuffers;
import org.jboss.netty.channel.Channel;
import org.jboss.netty.channel.ChannelHandlerContext;
import org.jboss.netty.channel.ChannelPipeline;
import org.jboss.netty.channel.ChannelStateEvent;
import org.jboss.netty.channel.Channels;
import org.jboss.netty.channel.ExceptionEvent;
import org.jboss.netty.channel.MessageEvent;
import org.jboss.netty.channel.SimpleChannelUpstreamHandler;
import org.jboss.netty.channel.socket.nio.NioClientSocketChannelFactory;
import org.jboss.netty.handler.codec.http.DefaultHttpRequest;
import org.jboss.netty.handler.codec.http.HttpMethod;
import org.jboss.netty.handler.codec.http.HttpRequest;
import org.jboss.netty.handler.codec.http.HttpResponse;
import org.jboss.netty.handler.codec.http.HttpVersion;
import org.jboss.netty.handler.codec.spdy.SpdyFrameCodec;
import org.jboss.netty.handler.codec.spdy.SpdyHttpCodec;
import org.jboss.netty.handler.codec.spdy.SpdyHttpHeaders;
import org.jboss.netty.handler.codec.spdy.SpdySessionHandler;
import org.jboss.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An independent SPDY/2 HTTP client: Netty 3.7's frame codec, session handler and HTTP codec, the
 * last Netty that spoke version 2. Plain with prior knowledge, or TLS offering ALPN
 * {@code spdy/2} only. What the adapters' SPDY/2 tests check the servers against, so that a
 * dialect mistake shared by our client and our server cannot pass.
 */
public final class Spdy2NettyClient implements AutoCloseable {
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "netty3-spdy2-client");
        t.setDaemon(true);
        return t;
    });
    private final NioClientSocketChannelFactory factory = new NioClientSocketChannelFactory(threads, threads, 1, 1);
    private final Channel channel;
    private final Map<Integer, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextStream = new AtomicInteger(1);
    private final String authority;
    private final String scheme;

    /** A response as Netty's SPDY/2 HTTP codec assembled it; header names lower-cased. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public String bodyAsString() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public Spdy2NettyClient(URI origin) throws Exception {
        boolean tls = origin.getScheme().equals("https");
        authority = origin.getRawAuthority();
        scheme = origin.getScheme();
        ClientBootstrap bootstrap = new ClientBootstrap(factory);
        bootstrap.setOption("tcpNoDelay", true);
        bootstrap.setPipelineFactory(() -> {
            ChannelPipeline p = Channels.pipeline();
            if (tls) {
                p.addLast("tls", new SslHandler(engine(origin)));
            }
            p.addLast("frames", new SpdyFrameCodec(2));
            p.addLast("session", new SpdySessionHandler(2, false));
            p.addLast("http", new SpdyHttpCodec(2, 64 << 20));
            p.addLast("responses", new Responses());
            return p;
        });
        channel = bootstrap.connect(new InetSocketAddress(origin.getHost(), origin.getPort()))
                .awaitUninterruptibly().getChannel();
        if (!channel.isConnected()) {
            throw new IOException("cannot connect to " + origin);
        }
        if (tls) {
            SslHandler ssl = channel.getPipeline().get(SslHandler.class);
            org.jboss.netty.channel.ChannelFuture handshake = ssl.handshake();
            if (!handshake.awaitUninterruptibly(10, TimeUnit.SECONDS)) {
                throw new IOException("TLS handshake with " + origin + " timed out");
            }
            if (!handshake.isSuccess()) {
                throw new IOException("TLS handshake with " + origin + " failed", handshake.getCause());
            }
            String alpn = ssl.getEngine().getApplicationProtocol();
            if (!"spdy/2".equals(alpn)) {
                throw new IOException(origin + " did not negotiate spdy/2 (got " + alpn + ")");
            }
        }
    }

    /** TLS 1.2 (which Netty 3's SslHandler predates nothing of), trusting any certificate, ALPN spdy/2. */
    private static SSLEngine engine(URI origin) throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.2");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLEngine engine = context.createSSLEngine(origin.getHost(), origin.getPort());
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"spdy/2"});
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Sends a request; {@code headers} alternate names and values. */
    public CompletableFuture<Response> send(String method, String path, byte[] body, String... headers) {
        int id = nextStream.getAndAdd(2);
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), path);
        request.setHeader(SpdyHttpHeaders.Names.STREAM_ID, id);
        request.setHeader(SpdyHttpHeaders.Names.SCHEME, scheme);
        request.setHeader("Host", authority);
        for (int i = 0; i < headers.length; i += 2) {
            request.addHeader(headers[i], headers[i + 1]);
        }
        if (body != null) {
            request.setHeader("Content-Length", body.length);
            request.setContent(ChannelBuffers.wrappedBuffer(body));
        }
        CompletableFuture<Response> f = new CompletableFuture<>();
        pending.put(id, f);
        channel.write(request).addListener(w -> {
            if (!w.isSuccess()) {
                pending.remove(id);
                f.completeExceptionally(w.getCause());
            }
        });
        return f;
    }

    public Response get(String path, String... headers) throws Exception {
        return send("GET", path, null, headers).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        factory.releaseExternalResources();
        threads.shutdownNow();
    }

    private final class Responses extends SimpleChannelUpstreamHandler {
        @Override
        public void messageReceived(ChannelHandlerContext ctx, MessageEvent e) {
            if (!(e.getMessage() instanceof HttpResponse)) {
                return;
            }
            HttpResponse r = (HttpResponse) e.getMessage();
            String id = r.getHeader(SpdyHttpHeaders.Names.STREAM_ID);
            CompletableFuture<Response> f = id == null ? null : pending.remove(Integer.parseInt(id));
            if (f == null) {
                return;
            }
            Map<String, List<String>> headers = new TreeMap<>();
            for (Map.Entry<String, String> h : r.getHeaders()) {
                headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
            }
            byte[] body = new byte[r.getContent().readableBytes()];
            r.getContent().getBytes(r.getContent().readerIndex(), body);
            f.complete(new Response(r.getStatus().getCode(), headers, body));
        }

        @Override
        public void channelClosed(ChannelHandlerContext ctx, ChannelStateEvent e) {
            pending.values().forEach(f -> f.completeExceptionally(new IOException("connection closed")));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, ExceptionEvent e) {
            pending.values().forEach(f -> f.completeExceptionally(e.getCause()));
            e.getChannel().close();
        }
    }
}
