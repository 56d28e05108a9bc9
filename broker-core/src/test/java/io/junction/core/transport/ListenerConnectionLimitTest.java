package io.junction.core.transport;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ListenerConnectionLimitTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    @Test
    void refusesTheConnectionPastTheLimitAndAcceptsAgainOnceOneCloses() {
        ListenerConnectionLimit limit = new ListenerConnectionLimit("stomp", 2);
        assertThat(limit.tryOpen(CLIENT)).isTrue();
        assertThat(limit.tryOpen(CLIENT)).isTrue();
        assertThat(limit.tryOpen(CLIENT)).isFalse();
        assertThat(limit.open()).isEqualTo(2);
        assertThat(limit.refused()).isEqualTo(1);

        limit.closed();
        assertThat(limit.tryOpen(CLIENT)).isTrue();
        assertThat(limit.open()).isEqualTo(2);
    }

    @Test
    void zeroMeansNoLimit() {
        ListenerConnectionLimit limit = new ListenerConnectionLimit("stomp", 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limit.tryOpen(CLIENT)).isTrue();
        }
        assertThat(limit.refused()).isZero();
    }

    @Test
    void aFloodOfRefusalsIsCountedInFullWhateverIsLogged() {
        AtomicLong clock = new AtomicLong();
        ListenerConnectionLimit limit = new ListenerConnectionLimit("mqtt", 1, clock::get);
        limit.tryOpen(CLIENT);
        for (int i = 0; i < 1000; i++) {
            assertThat(limit.tryOpen(CLIENT)).isFalse();
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(50));
        }
        assertThat(limit.refused()).isEqualTo(1000);
        assertThat(limit.open()).isEqualTo(1);
    }
}
