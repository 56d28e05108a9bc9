package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.SubscriptionSpec;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Non-durable topic subscriptions, with wildcards and selectors. */
class TopicSubscriptionTest extends BrokerTestSupport {

    private BrokerConnection connection;

    @BeforeEach
    void connectClient() throws Exception {
        connection = connect();
    }

    private List<Broker.QueueInfo> subscriptionQueues() {
        return broker.queues().stream().filter(q -> q.name().startsWith("subscription.")).toList();
    }

    @Test
    void everyMatchingSubscriptionGetsItsOwnCopy() throws Exception {
        RecordingConsumer exact = subscribe(connection, topic("prices.eur"));
        RecordingConsumer oneWord = subscribe(connection, topic("prices.*"));
        RecordingConsumer rest = subscribe(connection, topic(">"));
        RecordingConsumer other = subscribe(connection, topic("prices.usd"));
        RecordingConsumer parentOnly = subscribe(connection, topic("prices"));

        send(connection, topic("prices.eur"), "1.08");

        for (RecordingConsumer consumer : List.of(exact, oneWord, rest)) {
            assertThat(consumer.awaitDelivery(0).message().bodyAsText()).isEqualTo("1.08");
        }
        settle();
        assertThat(List.of(exact, oneWord, rest)).allMatch(c -> c.deliveries().size() == 1);
        assertThat(other.deliveries()).isEmpty();
        assertThat(parentOnly.deliveries()).isEmpty();
    }

    @Test
    void greaterThanSubscriptionAlsoReceivesTheParentTopic() throws Exception {
        RecordingConsumer children = subscribe(connection, topic("prices.>"));

        send(connection, topic("prices"), "parent");
        send(connection, topic("prices.eur.spot"), "child");

        children.awaitDeliveries(2);
        settle();
        assertThat(children.bodies()).containsExactly("parent", "child");
    }

    @Test
    void messageSentBeforeSubscribingIsNotReceived() throws Exception {
        send(connection, topic("prices.eur"), "early");
        RecordingConsumer late = subscribe(connection, topic("prices.eur"));
        send(connection, topic("prices.eur"), "on time");

        late.awaitDeliveries(1);
        settle();
        assertThat(late.bodies()).containsExactly("on time");
    }

    @Test
    void selectorFiltersWhenPublishing() throws Exception {
        RecordingConsumer large = subscribe(connection,
                new SubscriptionSpec(topic("trades"), "amount > 100", 1, false, null));

        for (int amount : new int[] {50, 500, 70, 800}) {
            send(connection, Message.builder(topic("trades")).property("amount", amount)
                    .textBody(String.valueOf(amount)).build());
        }

        large.awaitDeliveries(1);
        settle();
        // Prefetch 1 holds "500"; the only other copy kept is "800": the rest never entered the queue.
        assertThat(subscriptionQueues()).singleElement().satisfies(q -> {
            assertThat(q.depth()).isEqualTo(2);
            assertThat(q.enqueued()).isEqualTo(2);
        });
        large.ack(large.deliveries().get(0));
        large.awaitDeliveries(2);
        assertThat(large.bodies()).containsExactly("500", "800");
    }

    @Test
    void closingTheConsumerEndsTheSubscription() throws Exception {
        RecordingConsumer consumer = subscribe(connection, topic("prices.*"));
        settle();
        assertThat(subscriptionQueues()).hasSize(1);

        consumer.close();
        send(connection, topic("prices.eur"), "after close");
        settle();

        assertThat(consumer.deliveries()).isEmpty();
        assertThat(subscriptionQueues()).isEmpty();
    }

    @Test
    void compositeSendReachesAWildcardSubscriptionOnce() throws Exception {
        RecordingConsumer all = subscribe(connection, topic("prices.>"));

        send(connection, topic("prices.eur,prices.usd"), "both");

        all.awaitDeliveries(1);
        settle();
        assertThat(all.bodies()).containsExactly("both");
    }

    @Test
    void invalidPatternsAreRefused() {
        for (String pattern : List.of("prices.>.eur", ">.eur", "")) {
            assertThatThrownBy(() -> subscribe(connection, topic(pattern)))
                    .as(pattern).isInstanceOf(BrokerException.class).hasMessageContaining(pattern);
        }
    }

    @Test
    void invalidSelectorIsRefused() {
        assertThatThrownBy(() -> subscribe(connection,
                new SubscriptionSpec(topic("trades"), "amount >", 1, false, null)))
                .isInstanceOf(BrokerException.class);
    }

    @Test
    void temporaryTopicDeliversToItsSubscribers() throws Exception {
        Destination replies = connection.temporaryDestination(DestinationType.TEMP_TOPIC, "replies");
        RecordingConsumer consumer = subscribe(connection, replies);

        send(connect(), replies, "hello");

        assertThat(consumer.awaitDelivery(0).message().bodyAsText()).isEqualTo("hello");
    }

    @Test
    void anotherConnectionCannotSubscribeToATemporaryTopic() throws Exception {
        Destination replies = connection.temporaryDestination(DestinationType.TEMP_TOPIC, "replies");
        BrokerConnection stranger = connect();

        assertThatThrownBy(() -> subscribe(stranger, replies))
                .isInstanceOf(BrokerException.class).hasMessageContaining("belongs to another connection");
    }
}
