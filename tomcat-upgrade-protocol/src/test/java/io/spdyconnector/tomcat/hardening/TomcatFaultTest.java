package io.spdyconnector.tomcat.hardening;

import io.spdyconnector.protocol.testing.hardening.FaultScenarios;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;

/** {@link FaultScenarios} on Tomcat. */
class TomcatFaultTest extends FaultScenarios {
    @Override
    protected HardeningServer start(HardeningOptions options) throws Exception {
        return new TomcatHardeningServer(options);
    }
}
