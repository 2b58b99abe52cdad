package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.session.AbuseLimits;
import io.spdyconnector.protocol.session.SessionConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The abuse attributes change one limit of whatever configuration the protocol holds. */
class AbuseAttributesTest {
    private static final AbuseLimits TIGHT = AbuseLimits.defaults().withCredit(123).withResetCost(7);

    @Test
    void anAttributeSetAfterAWholeConfigurationKeepsItsOtherLimits() {
        SpdyUpgradeProtocol protocol = new SpdyUpgradeProtocol();
        protocol.setSessionConfig(SessionConfig.defaults().toBuilder().abuseLimits(TIGHT).build());
        protocol.setAbuseControlFrameCost(5);

        assertThat(protocol.getSessionConfig().abuseLimits()).isEqualTo(TIGHT.withControlFrameCost(5));
        assertThat(protocol.getAbuseCredit()).isEqualTo(123);
    }

    @Test
    void aConfigurationWithTheGuardOffTurnsTheAttributeOffAndKeepsTheLimitsForWhenItIsOnAgain() {
        SpdyUpgradeProtocol protocol = new SpdyUpgradeProtocol();
        protocol.setSessionConfig(SessionConfig.defaults().toBuilder().abuseLimits(TIGHT).build());
        protocol.setSessionConfig(SessionConfig.defaults().toBuilder().abuseLimits(AbuseLimits.off()).build());

        assertThat(protocol.getAbuseProtection()).isFalse();
        protocol.setAbuseResetCost(9);
        assertThat(protocol.getSessionConfig().abuseLimits().isOff()).isTrue();

        protocol.setAbuseProtection(true);
        assertThat(protocol.getSessionConfig().abuseLimits()).isEqualTo(TIGHT.withResetCost(9));
    }
}
