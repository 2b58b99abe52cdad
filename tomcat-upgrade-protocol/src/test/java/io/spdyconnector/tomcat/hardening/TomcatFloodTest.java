package io.spdyconnector.tomcat.hardening;

import io.spdyconnector.protocol.testing.hardening.FloodScenarios;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;

/** {@link FloodScenarios} on Tomcat. */
class TomcatFloodTest extends FloodScenarios {
    @Override
    protected HardeningServer start(HardeningOptions options) throws Exception {
        return new TomcatHardeningServer(options);
    }
}
