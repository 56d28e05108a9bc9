package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.SubscriptionSpec;
import org.junit.jupiter.api.Test;

/** Subscriptions with a message count bound, as MQTT sessions use them. */
class BoundedSubscriptionTest extends BrokerTestSupport {

    private static SubscriptionSpec bounded(String topic, String durableName, int maxQueued) {
        return new SubscriptionSpec(Destination.topic(topic), null, PREFETCH, false, durableName, false, null,
                maxQueued, true);
    }

    private static Message persistent(String topic, String body) {
        return Message.builder(Destination.topic(topic)).persistent(true).textBody(body).build();
    }

    @Test
    void theBoundIsSharedByTheSubscriptionsOfOneClientAndNewMessagesAreDroppedPastIt() throws Exception {
        BrokerConnection device = connect("device-1");
        subscribe(device, bounded("sensors.a", "a", 3)).close();
        subscribe(device, bounded("sensors.b", "b", 3)).close();
        device.close("away");
        BrokerConnection publisher = connect();

        for (String body : new String[] {"a1", "a2"}) {
            send(publisher, persistent("sensors.a", body));
        }
        for (String body : new String[] {"b1", "b2"}) {
            send(publisher, persistent("sensors.b", body));
        }
        settle();
        assertThat(broker.statistics().messagesDropped()).isEqualTo(1);

        BrokerConnection back = connect("device-1");
        RecordingConsumer a = subscribe(back, bounded("sensors.a", "a", 3));
        RecordingConsumer b = subscribe(back, bounded("sensors.b", "b", 3));
        assertThat(receiveAcknowledging(a, 2)).containsExactly("a1", "a2");
        assertThat(receiveAcknowledging(b, 1)).containsExactly("b1");
        settle();
        assertThat(b.deliveries()).hasSize(1);
    }

    @Test
    void anAbsentSubscriberKeepsOnlyPersistentMessagesWhenItAskedSo() throws Exception {
        BrokerConnection device = connect("device-2");
        subscribe(device, bounded("t", "t", 10)).close();
        // The consumer leaves its queue on the queue's executor: wait until it has.
        settle();
        BrokerConnection publisher = connect();

        send(publisher, text(Destination.topic("t"), "not kept"));
        send(publisher, persistent("t", "kept"));

        RecordingConsumer back = subscribe(device, bounded("t", "t", 10));
        assertThat(receiveAcknowledging(back, 1)).containsExactly("kept");
        settle();
        assertThat(back.deliveries()).hasSize(1);
    }
}
