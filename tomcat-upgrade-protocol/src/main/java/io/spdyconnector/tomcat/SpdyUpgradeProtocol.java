package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.session.AbuseLimits;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.push.PushPlanner;
import io.spdyconnector.protocol.push.PushPolicy;
import io.spdyconnector.protocol.session.SpdyVersion;
import org.apache.coyote.Adapter;
import org.apache.coyote.Processor;
import org.apache.coyote.Request;
import org.apache.coyote.Response;
import org.apache.coyote.UpgradeProtocol;
import org.apache.coyote.UpgradeToken;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler;
import org.apache.coyote.http11.upgrade.UpgradeProcessorInternal;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.modeler.Registry;
import org.apache.tomcat.util.net.SocketWrapperBase;

import javax.management.ObjectName;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * SPDY for a Tomcat connector, plugged in the way Tomcat plugs in HTTP/2 ({@code Http2Protocol}):
 * registered with {@code <UpgradeProtocol className="io.spdyconnector.tomcat.SpdyUpgradeProtocol"/>}
 * inside a TLS {@code <Connector>}, it is chosen by ALPN as {@code spdy/3.1}; a second element with
 * {@code version="spdy/3"} offers SPDY/3 as well, since one registration has one ALPN name.
 * {@link SpdyNioProtocol} uses the same class for plain connectors, and {@code httpUpgrade="true"}
 * accepts {@code Upgrade: spdy/3.1} from HTTP/1.1 requests on a plain connector.
 *
 * <p>Every attribute is a bean property, so {@code server.xml} configures it: the engine's limits
 * (the {@link SessionConfig} of each new session) and Tomcat's own connection and stream timeouts.
 * Settings apply to connections opened after they are set.
 */
public class SpdyUpgradeProtocol implements UpgradeProtocol {
    private static final Log log = LogFactory.getLog(SpdyUpgradeProtocol.class);

    private volatile SpdyVersion version = SpdyVersion.SPDY_3_1;
    private volatile SessionConfig config = SessionConfig.defaults();
    private volatile AbuseLimits abuseLimits = AbuseLimits.defaults();
    private volatile boolean abuseProtection = true;
    private volatile boolean httpUpgrade;
    private volatile boolean acceptSpdy2;
    private volatile PushPlanner pushPlanner = new PushPlanner(PushPolicy.defaults());
    private volatile long readTimeout = 5000;
    private volatile long writeTimeout = 5000;
    private volatile long keepAliveTimeout = 20000;
    private volatile long streamReadTimeout = 20000;
    private volatile long streamWriteTimeout = 20000;
    private volatile int minRequestDataRate;
    private volatile long lingerTimeout = 2000;
    private volatile int maxConcurrentStreamExecution = 20;
    private volatile int inputBufferSize = 16384;
    private final SpdyReadBuffers readBuffers = new SpdyReadBuffers();
    private volatile boolean allowSchemeMismatch;
    private volatile boolean useSendfile = true;

    private AbstractHttp11Protocol<?> http11Protocol;
    private final Set<SpdyUpgradeHandler> handlers = ConcurrentHashMap.newKeySet();
    private final SpdyRequestGroupInfo global = new SpdyRequestGroupInfo(this);

    // ---------------------------------------------------------- UpgradeProtocol

    /** {@code spdy/3.1} (or {@code spdy/3}) on plain connectors when {@code httpUpgrade} is on. */
    @Override
    public String getHttpUpgradeName(boolean isSSLEnabled) {
        return httpUpgrade && !isSSLEnabled ? version.protocolName() : null;
    }

    @Override
    public byte[] getAlpnIdentifier() {
        return version.protocolName().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String getAlpnName() {
        return version.protocolName();
    }

    /** A connection that starts in SPDY: negotiated by ALPN, or prior knowledge on a plain port. */
    @Override
    public Processor getProcessor(SocketWrapperBase<?> socketWrapper, Adapter adapter) {
        return new UpgradeProcessorInternal(socketWrapper,
                new UpgradeToken(getInternalUpgradeHandler(socketWrapper, adapter, null), null, null,
                        version.protocolName()),
                null);
    }

    /** {@code upgradeRequest} is the HTTP/1.1 request that asked for SPDY, or null. */
    @Override
    public InternalHttpUpgradeHandler getInternalUpgradeHandler(SocketWrapperBase<?> socketWrapper, Adapter adapter,
            Request upgradeRequest) {
        return new SpdyUpgradeHandler(this, adapter, socketWrapper, version, upgradeRequest);
    }

    /**
     * Whether an HTTP/1.1 request may switch the connection to SPDY. Only requests without a body:
     * the body would have to be buffered whole before the switch, which this connector does not do.
     */
    @Override
    public boolean accept(Request request) {
        if (!httpUpgrade) {
            return false;
        }
        return request.getContentLengthLong() <= 0 && request.getHeader("transfer-encoding") == null;
    }

    @Override
    public void setHttp11Protocol(AbstractHttp11Protocol<?> protocol) {
        this.http11Protocol = protocol;
        try {
            ObjectName name = protocol.getONameForUpgrade(jmxName());
            // Null when the connector is not registered with JMX.
            if (name != null) {
                Registry.getRegistry(null).registerComponent(global, name, null);
            }
        } catch (Exception e) {
            log.warn("SPDY statistics could not be registered with JMX", e);
        }
    }

    /**
     * The {@code Upgrade} key of this protocol's MBean: the ALPN name on TLS connectors; on plain
     * ones a name that an HTTP/1.1 upgrade's own statistics (keyed by the {@code Upgrade} header)
     * do not replace.
     */
    String jmxName() {
        return http11Protocol.isSSLEnabled() ? version.protocolName() : version.protocolName() + "-plain";
    }

    public AbstractHttp11Protocol<?> getHttp11Protocol() {
        return http11Protocol;
    }

    /** Request statistics (Tomcat's) and SPDY session and stream counters, as registered with JMX. */
    public SpdyRequestGroupInfo getGlobal() {
        return global;
    }

    boolean useCompression(Request request, Response response) {
        return http11Protocol.useCompression(request, response);
    }

    // ------------------------------------------------------ sessions, requests

    void register(SpdyUpgradeHandler handler) {
        handlers.add(handler);
        global.sessionOpened();
    }

    void unregister(SpdyUpgradeHandler handler) {
        if (handlers.remove(handler)) {
            global.sessionClosed(handler.getStatistics());
        }
    }

    Set<SpdyUpgradeHandler> handlers() {
        return handlers;
    }

    /**
     * Tomcat pauses each connection through its current processor, and a connection whose reader is
     * busy at that moment has none; pausing one pauses every session of this protocol.
     */
    void pauseAll() {
        for (SpdyUpgradeHandler h : handlers) {
            h.goAway();
        }
    }

    /** The engine configuration new sessions use. */
    public SessionConfig getSessionConfig() {
        return config;
    }

    /** Replaces the engine configuration; the abuse attributes then read and change its limits. */
    public void setSessionConfig(SessionConfig config) {
        this.config = Objects.requireNonNull(config);
        abuseProtection = !config.abuseLimits().isOff();
        if (abuseProtection) {
            abuseLimits = config.abuseLimits();
        }
    }

    private void update(UnaryOperator<SessionConfig.Builder> change) {
        config = change.apply(config.toBuilder()).build();
    }

    private void updateAbuse(AbuseLimits limits) {
        abuseLimits = limits;
        if (abuseProtection) {
            update(b -> b.abuseLimits(limits));
        }
    }

    // ------------------------------------------------------- Tomcat settings

    /** {@code spdy/3.1} (default), {@code spdy/3} or {@code spdy/2}: the ALPN name, and what plain connections speak. */
    public String getVersion() {
        return version.protocolName();
    }

    public void setVersion(String name) {
        SpdyVersion v = SpdyVersion.ofProtocolName(name.trim().toLowerCase(Locale.ROOT));
        if (v == null) {
            throw new IllegalArgumentException("not a SPDY protocol: " + name + " (use spdy/3.1, spdy/3 or spdy/2)");
        }
        version = v;
    }

    /**
     * Whether plain connections also accept SPDY/2: the client's first frame then chooses between
     * SPDY/2 and {@link #getVersion() version}. Off by default: SPDY/2 has no flow control, so a
     * SPDY/2 connection stops reading while its servlets lag behind their uploads. Over TLS, SPDY/2
     * is offered by a registration with {@code version="spdy/2"}.
     */
    public boolean getAcceptSpdy2() {
        return acceptSpdy2;
    }

    public void setAcceptSpdy2(boolean acceptSpdy2) {
        this.acceptSpdy2 = acceptSpdy2;
    }

    /** The planner connections opened from now on share; it learns under its policy. */
    public PushPlanner getPushPlanner() {
        return pushPlanner;
    }

    public PushPolicy getPushPolicy() {
        return pushPlanner.policy();
    }

    /** Replaces the push policy; the new planner starts learning afresh. */
    public void setPushPolicy(PushPolicy policy) {
        pushPlanner = new PushPlanner(java.util.Objects.requireNonNull(policy));
    }

    /** Whether {@code Link: <...>; rel=preload} response headers are pushed (Tomcat 11 has no PushBuilder). */
    public boolean getPushPreloadLinks() {
        return getPushPolicy().preloadLinks();
    }

    public void setPushPreloadLinks(boolean value) {
        setPushPolicy(getPushPolicy().withPreloadLinks(value));
    }

    /** Whether sub-resources clients fetch after a page are learned and pushed with it. */
    public boolean getPushLearning() {
        return getPushPolicy().learning();
    }

    public void setPushLearning(boolean value) {
        setPushPolicy(getPushPolicy().withLearning(value));
    }

    /** Pushes one response may start (0: no push). */
    public int getMaxPushesPerResponse() {
        return getPushPolicy().maxPushesPerResponse();
    }

    public void setMaxPushesPerResponse(int value) {
        setPushPolicy(getPushPolicy().withMaxPushesPerResponse(value));
    }

    /** Known bytes of learned resources one response may push. */
    public long getMaxPushBytesPerResponse() {
        return getPushPolicy().maxPushBytesPerResponse();
    }

    public void setMaxPushBytesPerResponse(long value) {
        setPushPolicy(getPushPolicy().withMaxPushBytesPerResponse(value));
    }

    /** How soon after a page its sub-resources must be fetched to be learned, in ms. */
    public long getPushLearningWindow() {
        return getPushPolicy().learningWindow().toMillis();
    }

    public void setPushLearningWindow(long ms) {
        setPushPolicy(getPushPolicy().withLearningWindow(java.time.Duration.ofMillis(ms)));
    }

    public boolean getHttpUpgrade() {
        return httpUpgrade;
    }

    public void setHttpUpgrade(boolean httpUpgrade) {
        this.httpUpgrade = httpUpgrade;
    }

    /** Milliseconds a frame that has begun may take to arrive in full. */
    public long getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(long readTimeout) {
        this.readTimeout = readTimeout;
    }

    /** Milliseconds one write of the session's output may take before the connection is closed. */
    public long getWriteTimeout() {
        return writeTimeout;
    }

    public void setWriteTimeout(long writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    /** Milliseconds a session without streams stays open before it says GOAWAY; -1 for ever. */
    public long getKeepAliveTimeout() {
        return keepAliveTimeout;
    }

    public void setKeepAliveTimeout(long keepAliveTimeout) {
        this.keepAliveTimeout = keepAliveTimeout;
    }

    /** Milliseconds a blocking read of a request body, or non-blocking read interest, waits for data. */
    public long getStreamReadTimeout() {
        return streamReadTimeout;
    }

    public void setStreamReadTimeout(long streamReadTimeout) {
        this.streamReadTimeout = streamReadTimeout;
    }

    /**
     * Bytes per second a client must send of a request body while the application waits for it,
     * averaged over each {@link #getDataRateWindow() dataRateWindow} of waiting; a slower body's read
     * fails with a {@link java.net.SocketTimeoutException} (slow POST). 0, the default as in
     * Tomcat's and Jetty's own connectors, leaves only {@link #getStreamReadTimeout()}: a body
     * trickling a byte at a time is not cut, and a client may pause a streaming upload.
     */
    public int getMinRequestDataRate() {
        return minRequestDataRate;
    }

    public void setMinRequestDataRate(int minRequestDataRate) {
        if (minRequestDataRate < 0) {
            throw new IllegalArgumentException("minRequestDataRate must be 0 (off) or positive: " + minRequestDataRate);
        }
        this.minRequestDataRate = minRequestDataRate;
    }

    /** Milliseconds a blocking response write waits for the window and the socket. */
    public long getStreamWriteTimeout() {
        return streamWriteTimeout;
    }

    public void setStreamWriteTimeout(long streamWriteTimeout) {
        this.streamWriteTimeout = streamWriteTimeout;
    }

    /** Milliseconds a closing connection keeps reading after its last write, so the peer gets it all. */
    public long getLingerTimeout() {
        return lingerTimeout;
    }

    public void setLingerTimeout(long lingerTimeout) {
        this.lingerTimeout = lingerTimeout;
    }

    /** Streams of one session that run on container threads at once; the rest wait their turn. */
    public int getMaxConcurrentStreamExecution() {
        return maxConcurrentStreamExecution;
    }

    public void setMaxConcurrentStreamExecution(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("maxConcurrentStreamExecution must be positive: " + value);
        }
        this.maxConcurrentStreamExecution = value;
    }

    /** Where this protocol's sessions read their input: one buffer per container thread. */
    SpdyReadBuffers readBuffers() {
        return readBuffers;
    }

    /** Bytes read from the socket at a time while a session has input. */
    public int getInputBufferSize() {
        return inputBufferSize;
    }

    public void setInputBufferSize(int inputBufferSize) {
        this.inputBufferSize = Math.max(1024, inputBufferSize);
    }

    /**
     * Whether the default servlet may send large files with sendfile: their bytes are mapped and
     * framed without being copied through the servlet output buffers (see {@code SpdySendfile}).
     */
    public boolean getUseSendfile() {
        return useSendfile;
    }

    public void setUseSendfile(boolean useSendfile) {
        this.useSendfile = useSendfile;
    }

    /** Whether {@code :scheme} may disagree with the connector's TLS (e.g. behind a TLS proxy). */
    public boolean getAllowSchemeMismatch() {
        return allowSchemeMismatch;
    }

    public void setAllowSchemeMismatch(boolean allowSchemeMismatch) {
        this.allowSchemeMismatch = allowSchemeMismatch;
    }

    // --------------------------------------------------------- engine limits

    public int getMaxConcurrentStreams() {
        return config.maxConcurrentStreams();
    }

    public void setMaxConcurrentStreams(int value) {
        update(b -> b.maxConcurrentStreams(value));
    }

    public int getInitialWindowSize() {
        return config.initialWindowSize();
    }

    public void setInitialWindowSize(int value) {
        update(b -> b.initialWindowSize(value));
    }

    public int getSessionWindowSize() {
        return config.sessionWindowSize();
    }

    public void setSessionWindowSize(int value) {
        update(b -> b.sessionWindowSize(value));
    }

    public int getMaxControlFrameLength() {
        return config.maxControlFrameLength();
    }

    public void setMaxControlFrameLength(int value) {
        update(b -> b.maxControlFrameLength(value));
    }

    public int getMaxHeaderBytes() {
        return config.maxHeaderBytes();
    }

    public void setMaxHeaderBytes(int value) {
        update(b -> b.maxHeaderBytes(value));
    }

    public int getHeaderInflateLimit() {
        return config.headerInflateLimit();
    }

    public void setHeaderInflateLimit(int value) {
        update(b -> b.headerInflateLimit(value));
    }

    public int getMaxHeaderCount() {
        return config.maxHeaderCount();
    }

    public void setMaxHeaderCount(int value) {
        update(b -> b.maxHeaderCount(value));
    }

    /** {@code NONE} (default), {@code FAST}, {@code BEST} or {@code SAFE}; see docs/engine.md. */
    public String getCompressionPolicy() {
        return config.compressionPolicy().name();
    }

    public void setCompressionPolicy(String policy) {
        CompressionPolicy p = CompressionPolicy.valueOf(policy.trim().toUpperCase(Locale.ROOT));
        update(b -> b.compressionPolicy(p));
    }

    public int getMaxDataFrameLength() {
        return config.maxDataFrameLength();
    }

    public void setMaxDataFrameLength(int value) {
        update(b -> b.maxDataFrameLength(value));
    }

    public int getMaxOutputBatchBytes() {
        return config.maxOutputBatchBytes();
    }

    public void setMaxOutputBatchBytes(int value) {
        update(b -> b.maxOutputBatchBytes(value));
    }

    public int getMaxQueuedControlFrames() {
        return config.maxQueuedControlFrames();
    }

    public void setMaxQueuedControlFrames(int value) {
        update(b -> b.maxQueuedControlFrames(value));
    }

    /** Streams a client may open over one session's life (0: no limit); then GOAWAY and a new connection. */
    public int getMaxStreamsPerSession() {
        return config.maxStreamsPerSession();
    }

    public void setMaxStreamsPerSession(int value) {
        update(b -> b.maxStreamsPerSession(value));
    }

    /** Bytes per second a client must take output waiting for the socket, over each window (0: no minimum). */
    public int getMinResponseDataRate() {
        return config.minResponseDataRate();
    }

    public void setMinResponseDataRate(int value) {
        update(b -> b.minResponseDataRate(value));
    }

    /** Milliseconds over which the minimum response data rate is averaged; the first is the grace. */
    public int getDataRateWindow() {
        return config.dataRateWindow();
    }

    public void setDataRateWindow(int value) {
        update(b -> b.dataRateWindow(value));
    }

    public boolean getReleaseCompressionWhenIdle() {
        return config.releaseCompressionWhenIdle();
    }

    public void setReleaseCompressionWhenIdle(boolean value) {
        update(b -> b.releaseCompressionWhenIdle(value));
    }

    /** Whether the overhead budget against frame floods is enforced (the abuse* settings). */
    public boolean getAbuseProtection() {
        return abuseProtection;
    }

    public void setAbuseProtection(boolean on) {
        abuseProtection = on;
        AbuseLimits limits = on ? abuseLimits : AbuseLimits.off();
        update(b -> b.abuseLimits(limits));
    }

    public int getAbuseCredit() {
        return abuseLimits.credit();
    }

    public void setAbuseCredit(int v) {
        updateAbuse(abuseLimits.withCredit(v));
    }

    public int getAbuseControlFrameCost() {
        return abuseLimits.controlFrameCost();
    }

    public void setAbuseControlFrameCost(int v) {
        updateAbuse(abuseLimits.withControlFrameCost(v));
    }

    public int getAbuseResetCost() {
        return abuseLimits.resetCost();
    }

    public void setAbuseResetCost(int v) {
        updateAbuse(abuseLimits.withResetCost(v));
    }

    public int getAbuseStreamCredit() {
        return abuseLimits.streamCredit();
    }

    public void setAbuseStreamCredit(int v) {
        updateAbuse(abuseLimits.withStreamCredit(v));
    }

    public int getAbuseEmptyDataCost() {
        return abuseLimits.emptyDataCost();
    }

    public void setAbuseEmptyDataCost(int v) {
        updateAbuse(abuseLimits.withEmptyDataCost(v));
    }

    public int getAbuseDecayPerSecond() {
        return abuseLimits.decayPerSecond();
    }

    public void setAbuseDecayPerSecond(int v) {
        updateAbuse(abuseLimits.withDecayPerSecond(v));
    }

    public int getAbuseMaxConsecutiveEmptyData() {
        return abuseLimits.maxConsecutiveEmptyData();
    }

    public void setAbuseMaxConsecutiveEmptyData(int v) {
        updateAbuse(abuseLimits.withMaxConsecutiveEmptyData(v));
    }

    public int getAbuseMaxEventsPerSecond() {
        return abuseLimits.maxEventsPerSecond();
    }

    public void setAbuseMaxEventsPerSecond(int v) {
        updateAbuse(abuseLimits.withMaxEventsPerSecond(v));
    }

    public int getAbuseMaxResetsPerWindow() {
        return abuseLimits.maxResetsPerWindow();
    }

    public void setAbuseMaxResetsPerWindow(int v) {
        updateAbuse(abuseLimits.withMaxResetsPerWindow(v));
    }

    public int getAbuseResetWindowSeconds() {
        return abuseLimits.resetWindowSeconds();
    }

    public void setAbuseResetWindowSeconds(int v) {
        updateAbuse(abuseLimits.withResetWindowSeconds(v));
    }

    @Override
    public String toString() {
        return "SpdyUpgradeProtocol[" + version.protocolName() + "]";
    }
}
