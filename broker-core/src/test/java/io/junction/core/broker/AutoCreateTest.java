package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.core.config.DestinationPolicy;
import io.junction.core.config.DestinationsConfig;
import io.junction.core.config.PolicyType;
import io.junction.core.config.PolicyValues;
import io.junction.core.model.Destination;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Destinations are created on first use unless the configuration forbids it. */
class AutoCreateTest {

    private static void assertRefused(BrokerConnection connection, Destination destination, String reason) {
        assertThat(connection.send(BrokerTestSupport.text(destination, "x")).toCompletableFuture())
                .as(destination.toString())
                .failsWithin(RecordingConsumer.WAIT)
                .withThrowableThat().havingCause().isInstanceOf(BrokerException.class)
                .withMessageContaining(reason);
    }

    @Nested
    class ForbiddenByPolicy extends BrokerTestSupport {

        private BrokerConnection connection;

        @Override
        DestinationsConfig config() {
            return withPolicies(new DestinationPolicy("fixed.>", PolicyType.ANY, Optional.of(false),
                    PolicyValues.DEFAULTS));
        }

        @BeforeEach
        void connectClient() throws Exception {
            connection = connect();
        }

        @Test
        void sendIsRefusedWithAClearError() throws Exception {
            assertRefused(connection, queue("fixed.orders"),
                    "queue 'fixed.orders' does not exist and may not be auto-created");
            assertRefused(connection, topic("fixed.prices"),
                    "topic 'fixed.prices' does not exist and may not be auto-created");
            settle();
            assertThat(broker.queue("fixed.orders")).isNull();
            assertThat(broker.topics()).doesNotContain("fixed.prices");
        }

        @Test
        void subscribeIsRefusedWithAClearError() {
            assertThatThrownBy(() -> subscribe(connection, queue("fixed.orders")))
                    .isInstanceOf(BrokerException.class)
                    .hasMessage("queue 'fixed.orders' does not exist and may not be auto-created");
            assertThatThrownBy(() -> subscribe(connection, topic("fixed.prices")))
                    .isInstanceOf(BrokerException.class)
                    .hasMessage("topic 'fixed.prices' does not exist and may not be auto-created");
        }

        @Test
        void otherNamesAreStillCreated() throws Exception {
            send(connection, queue("orders"), "x");

            assertThat(queueInfo("orders").enqueued()).isEqualTo(1);
        }
    }

    @Nested
    class ForbiddenForAllQueues extends BrokerTestSupport {

        @Override
        DestinationsConfig config() {
            return new DestinationsConfig(false, true, DestinationsConfig.DEFAULT_EXPIRY_SCAN_INTERVAL, List.of(),
                    List.of());
        }

        @Test
        void queueSendsAreRefusedButTopicsStillWork() throws Exception {
            BrokerConnection connection = connect();

            assertRefused(connection, queue("orders"), "may not be auto-created");
            send(connection, topic("prices"), "fine");
            assertThat(broker.topics()).containsExactly("prices");
        }

        @Test
        void deadLetterQueueIsCreatedAnyway() throws Exception {
            BrokerConnection connection = connect();
            RecordingConsumer subscriber = subscribe(connection, topic("prices"));
            send(connection, topic("prices"), "p");

            for (int i = 0; i <= PolicyValues.DEFAULTS.maxRedeliveries(); i++) {
                subscriber.nack(subscriber.awaitDelivery(i));
            }
            settle();

            assertThat(queueInfo("DLQ").depth()).isEqualTo(1);
        }
    }
}
