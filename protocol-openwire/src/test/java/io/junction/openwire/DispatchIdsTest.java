package io.junction.openwire;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import org.apache.activemq.command.MessageId;
import org.apache.activemq.command.ProducerId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DispatchIdsTest {

    private final DispatchIds ids = new DispatchIds(new ProducerId("ID:broker-1:1:1"));

    private static Message withId(String id) {
        return Message.builder(Destination.queue("q")).messageId(id).build();
    }

    @Test
    void anOpenWireProducersIdIsKeptWithItsProducerAndSequence() {
        MessageId id = ids.next(withId("ID:host-1234-5:1:2:3:42"));
        assertThat(id.toString()).isEqualTo("ID:host-1234-5:1:2:3:42");
        assertThat(id.getProducerId().toString()).isEqualTo("ID:host-1234-5:1:2:3");
        assertThat(id.getProducerSequenceId()).isEqualTo(42);
    }

    @Test
    void anotherProtocolsIdIsTheTextOfABrokerId() {
        MessageId first = ids.next(withId("ID:amqp-producer:1:1:1-1"));
        MessageId second = ids.next(withId("stomp-7"));
        assertThat(first.toString()).isEqualTo("ID:amqp-producer:1:1:1-1");
        assertThat(second.toString()).isEqualTo("ID:stomp-7");
        assertThat(first).isNotEqualTo(second);
        assertThat(first.getProducerId().toString()).isEqualTo("ID:broker-1:1:1");
    }

    @Test
    void aMessageWithoutIdGetsTheBrokers() {
        assertThat(ids.next(withId(null)).toString()).isEqualTo("ID:broker-1:1:1:1");
    }

    @Test
    void eachDispatchHasTheNextBrokerSequence() {
        Message message = withId("ID:host-1:1:1:1:1");
        assertThat(ids.next(message).getBrokerSequenceId()).isEqualTo(1);
        assertThat(ids.next(message).getBrokerSequenceId()).isEqualTo(2);
    }
}
