package io.spdyconnector.jetty.hardening;

import io.spdyconnector.protocol.testing.hardening.LiveSessionFuzzScenarios;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;

/** {@link LiveSessionFuzzScenarios} on Jetty. */
class JettyLiveSessionFuzzTest extends LiveSessionFuzzScenarios {
    @Override
    protected HardeningServer start(HardeningOptions options) throws Exception {
        return new JettyHardeningServer(options);
    }
}
