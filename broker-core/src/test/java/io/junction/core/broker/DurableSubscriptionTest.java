package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.SubscriptionSpec;
import org.junit.jupiter.api.Test;

/** Durable topic subscriptions: named by client id and subscription name, kept while the owner is away. */
class DurableSubscriptionTest extends BrokerTestSupport {

    private static final Destination NEWS = topic("news");
    private static final String CLIENT = "reader";

    private static SubscriptionSpec durable(Destination topic, String selector) {
        return new SubscriptionSpec(topic, selector, PREFETCH, false, "daily");
    }

    private static Message news(String body, int section) {
        return Message.builder(NEWS).property("section", section).textBody(body).build();
    }

    @Test
    void keepsMessagesWhileItsOwnerIsAway() throws Exception {
        BrokerConnection owner = connect(CLIENT);
        subscribe(owner, durable(NEWS, null));
        owner.close("going offline");

        BrokerConnection publisher = connect();
        send(publisher, NEWS, "one", "two", "three");
        settle();
        assertThat(queueInfo(CLIENT + ":daily").depth()).isEqualTo(3);

        RecordingConsumer back = subscribe(connect(CLIENT), durable(NEWS, null));
        back.awaitDeliveries(3);
        assertThat(back.bodies()).containsExactly("one", "two", "three");
    }

    @Test
    void unacknowledgedMessagesAreKeptAcrossReconnects() throws Exception {
        BrokerConnection owner = connect(CLIENT);
        RecordingConsumer first = subscribe(owner, durable(NEWS, null));
        send(connect(), NEWS, "one");
        first.awaitDelivery(0);
        owner.close("crashed");

        RecordingConsumer back = subscribe(connect(CLIENT), durable(NEWS, null));

        assertThat(back.awaitDelivery(0).redelivered()).isTrue();
    }

    @Test
    void aSecondActiveSubscriberIsRefused() throws Exception {
        BrokerConnection owner = connect(CLIENT);
        subscribe(owner, durable(NEWS, null));

        assertThatThrownBy(() -> subscribe(owner, durable(NEWS, null)))
                .isInstanceOf(BrokerException.class).hasMessageContaining("already active");
    }

    @Test
    void theNameCanBeUsedAgainOnceTheConsumerCloses() throws Exception {
        BrokerConnection owner = connect(CLIENT);
        subscribe(owner, durable(NEWS, null)).close();

        RecordingConsumer again = subscribe(owner, durable(NEWS, null));
        send(owner, NEWS, "one");

        assertThat(again.awaitDelivery(0).message().bodyAsText()).isEqualTo("one");
    }

    @Test
    void resubscribingWithAnotherSelectorReplacesTheSubscription() throws Exception {
        BrokerConnection owner = connect(CLIENT);
        subscribe(owner, durable(NEWS, null)).close();
        BrokerConnection publisher = connect();
        send(publisher, news("kept by the old subscription", 1));

        RecordingConsumer replaced = subscribe(owner, durable(NEWS, "section = 2"));
        send(publisher, news("section one", 1));
        send(publisher, news("section two", 2));

        replaced.awaitDeliveries(1);
        settle();
        assertThat(replaced.bodies()).containsExactly("section two");
    }

    @Test
    void resubscribingToAnotherTopicReplacesTheSubscription() throws Exception {
        BrokerConnection owner = connect(CLIENT);
        subscribe(owner, durable(NEWS, null)).close();
        BrokerConnection publisher = connect();
        send(publisher, NEWS, "old topic, before");

        RecordingConsumer replaced = subscribe(owner, durable(topic("sports.>"), null));
        send(publisher, NEWS, "old topic, after");
        send(publisher, topic("sports.football"), "goal");

        replaced.awaitDeliveries(1);
        settle();
        assertThat(replaced.bodies()).containsExactly("goal");
    }

    @Test
    void resubscribingUnchangedKeepsTheSubscription() throws Exception {
        BrokerConnection owner = connect(CLIENT);
        subscribe(owner, durable(NEWS, "section = 1")).close();
        send(connect(), news("while away", 1));

        RecordingConsumer back = subscribe(owner, durable(NEWS, "section = 1"));

        assertThat(back.awaitDelivery(0).message().bodyAsText()).isEqualTo("while away");
    }

    @Test
    void unsubscribeRemovesTheSubscriptionAndWhatItKept() throws Exception {
        BrokerConnection owner = connect(CLIENT);
        subscribe(owner, durable(NEWS, null)).close();
        BrokerConnection publisher = connect();
        send(publisher, NEWS, "before unsubscribe");

        owner.unsubscribeDurable("daily");
        settle();
        assertThat(broker.queue(CLIENT + ":daily")).isNull();
        send(publisher, NEWS, "nobody subscribed");

        RecordingConsumer fresh = subscribe(owner, durable(NEWS, null));
        send(publisher, NEWS, "after resubscribe");
        fresh.awaitDeliveries(1);
        settle();
        assertThat(fresh.bodies()).containsExactly("after resubscribe");
    }

    @Test
    void unsubscribeIsRefusedWhileTheSubscriptionIsActive() throws Exception {
        BrokerConnection owner = connect(CLIENT);
        RecordingConsumer active = subscribe(owner, durable(NEWS, null));

        assertThatThrownBy(() -> owner.unsubscribeDurable("daily"))
                .isInstanceOf(BrokerException.class).hasMessageContaining("active");

        send(owner, NEWS, "still subscribed");
        assertThat(active.awaitDelivery(0).message().bodyAsText()).isEqualTo("still subscribed");
    }

    @Test
    void unsubscribingAnUnknownNameIsRefused() throws Exception {
        BrokerConnection owner = connect(CLIENT);

        assertThatThrownBy(() -> owner.unsubscribeDurable("never-created"))
                .isInstanceOf(BrokerException.class).hasMessageContaining("never-created");
    }

    @Test
    void aClientIdIsRequired() throws Exception {
        BrokerConnection anonymous = connect();

        assertThatThrownBy(() -> subscribe(anonymous, durable(NEWS, null)))
                .isInstanceOf(BrokerException.class).hasMessageContaining("client id");
        assertThatThrownBy(() -> anonymous.unsubscribeDurable("daily"))
                .isInstanceOf(BrokerException.class).hasMessageContaining("client id");
    }

    @Test
    void sameNameUnderAnotherClientIdIsAnotherSubscription() throws Exception {
        RecordingConsumer reader = subscribe(connect(CLIENT), durable(NEWS, null));
        RecordingConsumer other = subscribe(connect("other-reader"), durable(NEWS, null));

        send(connect(), NEWS, "both");

        assertThat(reader.awaitDelivery(0).message().bodyAsText()).isEqualTo("both");
        assertThat(other.awaitDelivery(0).message().bodyAsText()).isEqualTo("both");
    }

    @Test
    void durableSubscriptionsAreForTopicsOnly() throws Exception {
        BrokerConnection owner = connect(CLIENT);

        assertThatThrownBy(() -> subscribe(owner, durable(queue("orders"), null)))
                .isInstanceOf(BrokerException.class).hasMessageContaining("topics");
    }
}
