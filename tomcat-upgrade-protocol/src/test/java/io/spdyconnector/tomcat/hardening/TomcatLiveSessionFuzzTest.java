package io.spdyconnector.tomcat.hardening;

import io.spdyconnector.protocol.testing.hardening.LiveSessionFuzzScenarios;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;

/** {@link LiveSessionFuzzScenarios} on Tomcat. */
class TomcatLiveSessionFuzzTest extends LiveSessionFuzzScenarios {
    @Override
    protected HardeningServer start(HardeningOptions options) throws Exception {
        return new TomcatHardeningServer(options);
    }
}
