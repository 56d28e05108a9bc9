package io.junction.interop.amqp;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Link credit and drain: Qpid JMS with prefetch 0 pulls each message with a drained credit of one. */
@Timeout(60)
class QpidJmsCreditTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void pullConsumerGetsOneMessageAtATimeAndDrainEndsAnEmptyPull() throws Exception {
        try (Connection connection = new JmsConnectionFactory(broker.amqpUri() + "?jms.prefetchPolicy.all=0")
                .createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("pull");
            MessageConsumer pull = session.createConsumer(queue);
            assertThat(pull.receiveNoWait()).as("an empty queue drains at once").isNull();
            assertThat(pull.receive(200)).isNull();

            MessageProducer producer = session.createProducer(queue);
            producer.send(session.createTextMessage("a"));
            producer.send(session.createTextMessage("b"));
            assertThat(((TextMessage) pull.receive(5000)).getText()).isEqualTo("a");
            // With no credit out, "b" stays in the queue: a second consumer can take it.
            try (Connection other = new JmsConnectionFactory(broker.amqpUri()).createConnection()) {
                other.start();
                Session otherSession = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer competitor = otherSession.createConsumer(otherSession.createQueue("pull"));
                assertThat(((TextMessage) competitor.receive(5000)).getText()).isEqualTo("b");
            }
            assertThat(pull.receive(200)).isNull();
        }
    }
}
