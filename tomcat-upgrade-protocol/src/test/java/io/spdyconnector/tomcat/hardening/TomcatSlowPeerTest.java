package io.spdyconnector.tomcat.hardening;

import io.spdyconnector.protocol.testing.hardening.SlowPeerScenarios;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;

/** {@link SlowPeerScenarios} on Tomcat. */
class TomcatSlowPeerTest extends SlowPeerScenarios {
    @Override
    protected HardeningServer start(HardeningOptions options) throws Exception {
        return new TomcatHardeningServer(options);
    }
}
