package io.spdyconnector.tomcat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The minimum request data rate counts only time the application waits for the body. */
class RequestDataRateTest {
    private static final long MS = 1_000_000L;

    @Test
    void bodySlowerThanTheMinimumWhileTheApplicationWaitsTrips() {
        RequestDataRate rate = new RequestDataRate(1000, 1000);
        rate.waiting(0);
        rate.arrived(10);
        assertThat(rate.check(999 * MS)).isNull();
        assertThat(rate.check(1000 * MS)).isEqualTo(
                "the client sent 10 bytes of request body in 1000 ms of waiting, below the minimum of 1000 bytes/s");
    }

    @Test
    void timeTheApplicationSpendsElsewhereIsNotMeasured() {
        RequestDataRate rate = new RequestDataRate(1000, 1000);
        rate.waiting(0);
        rate.arrived(600);
        rate.stoppedWaiting(600 * MS);
        // A servlet busy for a minute: the client cannot send more than the window it was given.
        rate.waiting(60_600 * MS);
        assertThat(rate.check(60_900 * MS)).isNull();
        rate.arrived(400);
        rate.stoppedWaiting(61_000 * MS);
        assertThat(rate.check(61_000 * MS)).as("1000 bytes in 1000 ms of waiting").isNull();
    }

    @Test
    void eachWindowIsMeasuredOnItsOwn() {
        RequestDataRate rate = new RequestDataRate(1000, 1000);
        rate.waiting(0);
        rate.arrived(100_000);
        assertThat(rate.check(1000 * MS)).isNull();
        // A fast first window earns nothing for the next one.
        rate.arrived(999);
        assertThat(rate.check(2000 * MS)).startsWith("the client sent 999 bytes");
    }

    @Test
    void readersWakeToCheckWhenTheWindowEnds() {
        RequestDataRate rate = new RequestDataRate(1000, 1000);
        rate.waiting(0);
        assertThat(rate.nanosToCheck(300 * MS)).isEqualTo(700 * MS);
        assertThat(new RequestDataRate(0, 1000).nanosToCheck(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(new RequestDataRate(0, 1000).check(Long.MAX_VALUE / 2)).isNull();
    }
}
