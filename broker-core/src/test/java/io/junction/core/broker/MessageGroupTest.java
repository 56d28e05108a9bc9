package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.Delivery;
import org.junit.jupiter.api.Test;

/** Message groups: each group sticks to one consumer until it is closed or its consumer goes. */
class MessageGroupTest extends BrokerTestSupport {

    private static Message grouped(String group, int sequence, String body) {
        return Message.builder(Destination.queue("groups")).group(group, sequence).textBody(body).build();
    }

    @Test
    void aGroupsMessagesAllGoToTheConsumerItsFirstWentTo() throws Exception {
        BrokerConnection connection = connect();
        RecordingConsumer first = subscribe(connection, queue("groups"));
        RecordingConsumer second = subscribe(connection, queue("groups"));
        for (int i = 1; i <= 3; i++) {
            send(connection, grouped("A", i, "A" + i));
            send(connection, grouped("B", i, "B" + i));
        }
        settle();
        for (RecordingConsumer consumer : new RecordingConsumer[] {first, second}) {
            assertThat(consumer.bodies()).hasSize(3);
            String group = consumer.bodies().get(0).substring(0, 1);
            assertThat(consumer.bodies()).allMatch(body -> body.startsWith(group));
        }
    }

    @Test
    void aClosedGroupOrAGoneOwnerLetsTheGroupMove() throws Exception {
        BrokerConnection connection = connect();
        RecordingConsumer owner = subscribe(connection, queue("groups"));
        send(connection, grouped("G", 1, "g1"));
        Delivery firstDelivery = owner.awaitDelivery(0);
        owner.ack(firstDelivery);
        RecordingConsumer other = subscribe(connection, queue("groups"));
        send(connection, grouped("G", 2, "g2"));
        owner.awaitDelivery(1);
        owner.close();
        send(connection, grouped("G", 3, "g3"));
        assertThat(other.awaitDelivery(0).message().bodyAsText()).isEqualTo("g2");
        assertThat(other.awaitDelivery(1).message().bodyAsText()).isEqualTo("g3");
    }
}
