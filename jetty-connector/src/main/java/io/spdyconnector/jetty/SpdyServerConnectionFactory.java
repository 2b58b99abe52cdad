package io.spdyconnector.jetty;

import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.session.AbuseLimits;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.push.PushPlanner;
import io.spdyconnector.protocol.push.PushPolicy;
import io.spdyconnector.protocol.session.SpdyVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.annotation.Name;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;

/**
 * SPDY/3.1 and SPDY/3 (and SPDY/2 when {@code spdy/2} is among its protocols) for a Jetty
 * connector, the way Jetty plugs in its own HTTP/2:
 * <ul>
 * <li>behind {@code SslConnectionFactory} and {@code ALPNServerConnectionFactory}, negotiated as
 * {@code spdy/3.1} or {@code spdy/3};</li>
 * <li>alone on a plain connector (prior knowledge, {@link #setPlainProtocol plain protocol});</li>
 * <li>inside a {@code DetectorConnectionFactory}, so one plain port also serves HTTP/1.1: SPDY's
 * first bytes are always {@code 80 03} ({@code 80 02} for SPDY/2), which no HTTP/1 request and no
 * TLS record starts with.</li>
 * </ul>
 * SPDY/2 is off unless listed: it has no flow control, so a SPDY/2 session stops reading while a
 * servlet lags behind its uploads, holding every stream of that connection back.
 * Every stream is a Jetty {@code HttpStream}, so any handler or servlet runs unchanged. Settings
 * apply to connections opened after they are set.
 */
@ManagedObject("SPDY/3.1 and SPDY/3 connection factory")
public class SpdyServerConnectionFactory extends AbstractConnectionFactory implements ConnectionFactory.Detecting {
    private final HttpConfiguration httpConfiguration;
    private final SpdySessionContainer sessions = new SpdySessionContainer();
    private volatile SessionConfig config = SessionConfig.defaults();
    /** The abuse budget as configured, applied while {@link #isAbuseProtection()} is on. */
    private volatile AbuseLimits abuseLimits = AbuseLimits.defaults();
    private volatile boolean abuseProtection = true;
    private volatile SpdyVersion plainProtocol = SpdyVersion.SPDY_3_1;
    private volatile long streamIdleTimeout;
    private volatile long lingerTimeout = 2000;
    private volatile PushPlanner pushPlanner = new PushPlanner(PushPolicy.defaults());

    public SpdyServerConnectionFactory(@Name("config") HttpConfiguration httpConfiguration) {
        this(httpConfiguration, SpdyVersion.SPDY_3_1.protocolName(), SpdyVersion.SPDY_3.protocolName());
    }

    public SpdyServerConnectionFactory(@Name("config") HttpConfiguration httpConfiguration,
            @Name("protocols") String... protocols) {
        super(checkProtocols(protocols));
        this.httpConfiguration = Objects.requireNonNull(httpConfiguration);
        addBean(httpConfiguration);
        addBean(sessions);
        setInputBufferSize(httpConfiguration.getInputBufferSize());
    }

    private static String[] checkProtocols(String... protocols) {
        for (String p : protocols) {
            if (SpdyVersion.ofProtocolName(p) == null) {
                throw new IllegalArgumentException("not a SPDY protocol: " + p + " (use spdy/3.1, spdy/3 or spdy/2)");
            }
        }
        return protocols;
    }

    public HttpConfiguration getHttpConfiguration() {
        return httpConfiguration;
    }

    public SpdySessionContainer getSessionContainer() {
        return sessions;
    }

    /** The engine configuration new sessions use. */
    public SessionConfig getSessionConfig() {
        return config;
    }

    public void setSessionConfig(SessionConfig config) {
        this.config = Objects.requireNonNull(config);
        abuseProtection = !config.abuseLimits().isOff();
        if (abuseProtection) {
            abuseLimits = config.abuseLimits();
        }
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        SpdyVersion version = negotiated(endPoint);
        boolean detectSpdy2 = !(endPoint instanceof SslConnection.SslEndPoint) && version != SpdyVersion.SPDY_2
                && acceptsSpdy2();
        SpdyServerConnection connection = new SpdyServerConnection(this, connector, httpConfiguration, endPoint,
                version, detectSpdy2, config);
        connection.addEventListener(sessions);
        return configure(connection, connector, endPoint);
    }

    /** The protocol ALPN chose, or the plain protocol for a connection without TLS. */
    private SpdyVersion negotiated(EndPoint endPoint) {
        if (endPoint instanceof SslConnection.SslEndPoint) {
            String alpn = ((SslConnection.SslEndPoint) endPoint).getSslConnection().getSSLEngine().getApplicationProtocol();
            SpdyVersion v = alpn == null ? null : SpdyVersion.ofProtocolName(alpn.toLowerCase(Locale.ROOT));
            if (v != null) {
                return v;
            }
        }
        return plainProtocol;
    }

    /** Whether {@code spdy/2} is among this factory's protocols. */
    public boolean acceptsSpdy2() {
        return getProtocols().contains(SpdyVersion.SPDY_2.protocolName());
    }

    /**
     * SPDY control frames start with the control bit and the version: {@code 80 03}, or
     * {@code 80 02} when SPDY/2 is accepted.
     */
    @Override
    public Detection detect(ByteBuffer buffer) {
        int p = buffer.position();
        if (buffer.remaining() < 1) {
            return Detection.NEED_MORE_BYTES;
        }
        if ((buffer.get(p) & 0xFF) != 0x80) {
            return Detection.NOT_RECOGNIZED;
        }
        if (buffer.remaining() < 2) {
            return Detection.NEED_MORE_BYTES;
        }
        byte version = buffer.get(p + 1);
        return version == 0x03 || (version == 0x02 && acceptsSpdy2()) ? Detection.RECOGNIZED : Detection.NOT_RECOGNIZED;
    }

    private void update(java.util.function.UnaryOperator<SessionConfig.Builder> change) {
        config = change.apply(config.toBuilder()).build();
    }

    @ManagedAttribute("The protocol of plain (non-TLS) connections: spdy/3.1, spdy/3 or spdy/2; with spdy/2 among "
            + "the protocols, a client's first frame saying version 2 makes its connection SPDY/2")
    public String getPlainProtocol() {
        return plainProtocol.protocolName();
    }

    public void setPlainProtocol(String protocol) {
        SpdyVersion v = SpdyVersion.ofProtocolName(protocol);
        if (v == null) {
            throw new IllegalArgumentException("not a SPDY protocol: " + protocol);
        }
        plainProtocol = v;
    }

    @ManagedAttribute("Streams a client may open at once (SETTINGS_MAX_CONCURRENT_STREAMS)")
    public int getMaxConcurrentStreams() {
        return config.maxConcurrentStreams();
    }

    public void setMaxConcurrentStreams(int value) {
        update(b -> b.maxConcurrentStreams(value));
    }

    @ManagedAttribute("Receive window per stream, in bytes (SETTINGS_INITIAL_WINDOW_SIZE)")
    public int getInitialWindowSize() {
        return config.initialWindowSize();
    }

    public void setInitialWindowSize(int value) {
        update(b -> b.initialWindowSize(value));
    }

    @ManagedAttribute("Receive window of the session, in bytes (SPDY/3.1)")
    public int getSessionWindowSize() {
        return config.sessionWindowSize();
    }

    public void setSessionWindowSize(int value) {
        update(b -> b.sessionWindowSize(value));
    }

    @ManagedAttribute("Largest control frame accepted, in bytes")
    public int getMaxControlFrameLength() {
        return config.maxControlFrameLength();
    }

    public void setMaxControlFrameLength(int value) {
        update(b -> b.maxControlFrameLength(value));
    }

    @ManagedAttribute("Header bytes a request may carry over all its header blocks")
    public int getMaxHeaderBytes() {
        return config.maxHeaderBytes();
    }

    public void setMaxHeaderBytes(int value) {
        update(b -> b.maxHeaderBytes(value));
    }

    @ManagedAttribute("Inflated bytes one header block may produce before the session is closed")
    public int getHeaderInflateLimit() {
        return config.headerInflateLimit();
    }

    public void setHeaderInflateLimit(int value) {
        update(b -> b.headerInflateLimit(value));
    }

    @ManagedAttribute("Headers one header block may carry")
    public int getMaxHeaderCount() {
        return config.maxHeaderCount();
    }

    public void setMaxHeaderCount(int value) {
        update(b -> b.maxHeaderCount(value));
    }

    @ManagedAttribute("Response header compression: NONE, FAST, BEST or SAFE")
    public String getCompressionPolicy() {
        return config.compressionPolicy().name();
    }

    public void setCompressionPolicy(String policy) {
        CompressionPolicy p = CompressionPolicy.valueOf(policy.trim().toUpperCase(Locale.ROOT));
        update(b -> b.compressionPolicy(p));
    }

    @ManagedAttribute("Largest DATA frame sent, in bytes")
    public int getMaxDataFrameLength() {
        return config.maxDataFrameLength();
    }

    public void setMaxDataFrameLength(int value) {
        update(b -> b.maxDataFrameLength(value));
    }

    @ManagedAttribute("The most bytes per gathering write (batches start at 64 KiB and grow while the socket keeps up): the per-connection output cap")
    public int getMaxOutputBatchBytes() {
        return config.maxOutputBatchBytes();
    }

    public void setMaxOutputBatchBytes(int value) {
        update(b -> b.maxOutputBatchBytes(value));
    }

    @ManagedAttribute("Control frames that may wait for the socket before the session fails")
    public int getMaxQueuedControlFrames() {
        return config.maxQueuedControlFrames();
    }

    public void setMaxQueuedControlFrames(int value) {
        update(b -> b.maxQueuedControlFrames(value));
    }

    @ManagedAttribute("Streams a client may open over one session's life (0: no limit); then GOAWAY")
    public int getMaxStreamsPerSession() {
        return config.maxStreamsPerSession();
    }

    public void setMaxStreamsPerSession(int value) {
        update(b -> b.maxStreamsPerSession(value));
    }

    @ManagedAttribute("Bytes per second a client must take output waiting for the socket, over each window (0: no minimum)")
    public int getMinResponseDataRate() {
        return config.minResponseDataRate();
    }

    public void setMinResponseDataRate(int value) {
        update(b -> b.minResponseDataRate(value));
    }

    @ManagedAttribute("Milliseconds over which the minimum response data rate is averaged; the first is the grace")
    public int getDataRateWindow() {
        return config.dataRateWindow();
    }

    public void setDataRateWindow(int value) {
        update(b -> b.dataRateWindow(value));
    }

    @ManagedAttribute("Whether the overhead budget against frame floods is enforced (the abuse* settings)")
    public boolean isAbuseProtection() {
        return !config.abuseLimits().isOff();
    }

    public void setAbuseProtection(boolean on) {
        abuseProtection = on;
        AbuseLimits limits = on ? abuseLimits : AbuseLimits.off();
        update(b -> b.abuseLimits(limits));
    }

    private void updateAbuse(AbuseLimits limits) {
        abuseLimits = limits;
        if (abuseProtection) {
            update(b -> b.abuseLimits(limits));
        }
    }

    @ManagedAttribute("Abuse budget: initial allowance of the overhead budget")
    public int getAbuseCredit() {
        return abuseLimits.credit();
    }

    public void setAbuseCredit(int value) {
        updateAbuse(abuseLimits.withCredit(value));
    }

    @ManagedAttribute("Abuse budget: cost of a PING, SETTINGS or unknown control frame")
    public int getAbuseControlFrameCost() {
        return abuseLimits.controlFrameCost();
    }

    public void setAbuseControlFrameCost(int value) {
        updateAbuse(abuseLimits.withControlFrameCost(value));
    }

    @ManagedAttribute("Abuse budget: cost of a reset caused by the peer before its stream was answered")
    public int getAbuseResetCost() {
        return abuseLimits.resetCost();
    }

    public void setAbuseResetCost(int value) {
        updateAbuse(abuseLimits.withResetCost(value));
    }

    @ManagedAttribute("Abuse budget: credit for an admitted stream or a full DATA frame")
    public int getAbuseStreamCredit() {
        return abuseLimits.streamCredit();
    }

    public void setAbuseStreamCredit(int value) {
        updateAbuse(abuseLimits.withStreamCredit(value));
    }

    @ManagedAttribute("Abuse budget: cost of a small non-final DATA frame")
    public int getAbuseEmptyDataCost() {
        return abuseLimits.emptyDataCost();
    }

    public void setAbuseEmptyDataCost(int value) {
        updateAbuse(abuseLimits.withEmptyDataCost(value));
    }

    @ManagedAttribute("Abuse budget: budget repaid per second")
    public int getAbuseDecayPerSecond() {
        return abuseLimits.decayPerSecond();
    }

    public void setAbuseDecayPerSecond(int value) {
        updateAbuse(abuseLimits.withDecayPerSecond(value));
    }

    @ManagedAttribute("Abuse budget: empty non-final DATA frames tolerated in a row")
    public int getAbuseMaxConsecutiveEmptyData() {
        return abuseLimits.maxConsecutiveEmptyData();
    }

    public void setAbuseMaxConsecutiveEmptyData(int value) {
        updateAbuse(abuseLimits.withMaxConsecutiveEmptyData(value));
    }

    @ManagedAttribute("Abuse budget: frames charged to the budget tolerated per second, whatever the credit")
    public int getAbuseMaxEventsPerSecond() {
        return abuseLimits.maxEventsPerSecond();
    }

    public void setAbuseMaxEventsPerSecond(int value) {
        updateAbuse(abuseLimits.withMaxEventsPerSecond(value));
    }

    @ManagedAttribute("Abuse budget: resets charged to the budget tolerated per window in each direction, whatever the credit")
    public int getAbuseMaxResetsPerWindow() {
        return abuseLimits.maxResetsPerWindow();
    }

    public void setAbuseMaxResetsPerWindow(int value) {
        updateAbuse(abuseLimits.withMaxResetsPerWindow(value));
    }

    @ManagedAttribute("Abuse budget: the window of abuseMaxResetsPerWindow, in seconds")
    public int getAbuseResetWindowSeconds() {
        return abuseLimits.resetWindowSeconds();
    }

    public void setAbuseResetWindowSeconds(int value) {
        updateAbuse(abuseLimits.withResetWindowSeconds(value));
    }

    @ManagedAttribute("Stream idle timeout in ms (0: the connector's idle timeout)")
    public long getStreamIdleTimeout() {
        return streamIdleTimeout;
    }

    public void setStreamIdleTimeout(long ms) {
        streamIdleTimeout = ms;
    }

    @ManagedAttribute("How long a closing connection drains input after its last write, in ms")
    public long getLingerTimeout() {
        return lingerTimeout;
    }

    public void setLingerTimeout(long ms) {
        lingerTimeout = ms;
    }

    /** What connections opened from now on push, and the planner they share (what it learned is kept per policy). */
    public PushPlanner getPushPlanner() {
        return pushPlanner;
    }

    public PushPolicy getPushPolicy() {
        return pushPlanner.policy();
    }

    /** Replaces the push policy; the new planner starts learning afresh. */
    public void setPushPolicy(PushPolicy policy) {
        pushPlanner = new PushPlanner(Objects.requireNonNull(policy));
    }

    private void updatePush(java.util.function.UnaryOperator<PushPolicy> change) {
        setPushPolicy(change.apply(getPushPolicy()));
    }

    @ManagedAttribute("Whether PushBuilder.push() pushes (SPDY/3 and 3.1)")
    public boolean isPushServletApi() {
        return getPushPolicy().servletApi();
    }

    public void setPushServletApi(boolean value) {
        updatePush(p -> p.withServletApi(value));
    }

    @ManagedAttribute("Whether Link: <...>; rel=preload response headers are pushed")
    public boolean isPushPreloadLinks() {
        return getPushPolicy().preloadLinks();
    }

    public void setPushPreloadLinks(boolean value) {
        updatePush(p -> p.withPreloadLinks(value));
    }

    @ManagedAttribute("Whether sub-resources clients fetch after a page are learned and pushed with it")
    public boolean isPushLearning() {
        return getPushPolicy().learning();
    }

    public void setPushLearning(boolean value) {
        updatePush(p -> p.withLearning(value));
    }

    @ManagedAttribute("Pushes one response may start (0: no push)")
    public int getMaxPushesPerResponse() {
        return getPushPolicy().maxPushesPerResponse();
    }

    public void setMaxPushesPerResponse(int value) {
        updatePush(p -> p.withMaxPushesPerResponse(value));
    }

    @ManagedAttribute("Known bytes of learned resources one response may push")
    public long getMaxPushBytesPerResponse() {
        return getPushPolicy().maxPushBytesPerResponse();
    }

    public void setMaxPushBytesPerResponse(long value) {
        updatePush(p -> p.withMaxPushBytesPerResponse(value));
    }

    @ManagedAttribute("How soon after a page its sub-resources must be fetched to be learned, in ms")
    public long getPushLearningWindow() {
        return getPushPolicy().learningWindow().toMillis();
    }

    public void setPushLearningWindow(long ms) {
        updatePush(p -> p.withLearningWindow(java.time.Duration.ofMillis(ms)));
    }

    @ManagedAttribute("Open SPDY sessions")
    public int getSessionCount() {
        return sessions.getSessionCount();
    }

    @Override
    public String toString() {
        return String.format("%s@%x%s", getClass().getSimpleName(), hashCode(), getProtocols());
    }
}
