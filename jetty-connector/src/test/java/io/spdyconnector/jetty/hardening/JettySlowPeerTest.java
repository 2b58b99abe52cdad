package io.spdyconnector.jetty.hardening;

import io.spdyconnector.protocol.testing.hardening.SlowPeerScenarios;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;

/** {@link SlowPeerScenarios} on Jetty. */
class JettySlowPeerTest extends SlowPeerScenarios {
    @Override
    protected HardeningServer start(HardeningOptions options) throws Exception {
        return new JettyHardeningServer(options);
    }
}
