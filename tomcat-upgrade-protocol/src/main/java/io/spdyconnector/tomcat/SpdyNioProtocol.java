package io.spdyconnector.tomcat;

import org.apache.coyote.Processor;
import org.apache.coyote.UpgradeProtocol;
import org.apache.coyote.http11.Http11NioProtocol;

import java.util.Arrays;

/**
 * A NIO connector for SPDY without TLS, where there is no ALPN to choose it: prior knowledge, as
 * {@code <Connector protocol="io.spdyconnector.tomcat.SpdyNioProtocol" port="8081"/>}. Everything
 * else is Tomcat's NIO connector (executor, {@code maxConnections}, timeouts, JMX).
 *
 * <p>With {@code detectHttp11="true"} one port serves both: a connection whose first byte is
 * {@code 0x80} (every SPDY control frame starts with it, no HTTP/1.1 request does) becomes SPDY,
 * anything else goes to Tomcat's own HTTP/1.1 processor.
 *
 * <p>SPDY is configured by a nested {@code <UpgradeProtocol className="io.spdyconnector.tomcat.SpdyUpgradeProtocol"
 * .../>}, whose {@code version} is the protocol plain connections speak (default {@code spdy/3.1});
 * without one the defaults apply. With {@code SSLEnabled="true"} the connector behaves like
 * {@code Http11NioProtocol} with that SPDY protocol offered by ALPN.
 */
public class SpdyNioProtocol extends Http11NioProtocol {
    private SpdyUpgradeProtocol spdy;
    private boolean detectHttp11;

    /** Keeps the SPDY protocol for this connector; others are registered as usual. */
    @Override
    public void addUpgradeProtocol(UpgradeProtocol upgradeProtocol) {
        if (upgradeProtocol instanceof SpdyUpgradeProtocol && spdy == null) {
            spdy = (SpdyUpgradeProtocol) upgradeProtocol;
            return;
        }
        super.addUpgradeProtocol(upgradeProtocol);
    }

    @Override
    public void init() throws Exception {
        SpdyUpgradeProtocol s = getSpdyProtocol();
        // HTTP/1.1 knows it only where it has a job: ALPN on TLS, or Upgrade: spdy/3.1 requests.
        boolean withHttp11 = isSSLEnabled() || s.getHttpUpgrade() && detectHttp11;
        if (withHttp11 && !Arrays.asList(findUpgradeProtocols()).contains(s)) {
            super.addUpgradeProtocol(s);
        }
        super.init();
        if (!withHttp11) {
            s.setHttp11Protocol(this);
        }
    }

    /** The SPDY protocol of this connector (created with defaults if none was configured). */
    public synchronized SpdyUpgradeProtocol getSpdyProtocol() {
        if (spdy == null) {
            spdy = new SpdyUpgradeProtocol();
        }
        return spdy;
    }

    /** Whether HTTP/1.1 requests are served on this port too. */
    public boolean getDetectHttp11() {
        return detectHttp11;
    }

    public void setDetectHttp11(boolean detectHttp11) {
        this.detectHttp11 = detectHttp11;
    }

    @Override
    protected Processor createProcessor() {
        if (isSSLEnabled()) {
            return super.createProcessor();
        }
        return new SpdyPlainProcessor(this, getSpdyProtocol(), detectHttp11 ? super.createProcessor() : null);
    }

    @Override
    protected String getNamePrefix() {
        return isSSLEnabled() ? "https-spdy-nio" : "spdy-nio";
    }
}
