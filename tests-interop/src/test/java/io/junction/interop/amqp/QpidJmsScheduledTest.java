package io.junction.interop.amqp;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
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

/**
 * Delayed delivery from Qpid JMS: a JMS 2.0 delivery delay (sent as the {@code x-opt-delivery-time}
 * annotation, which Qpid JMS only sends to a peer offering DELAYED_DELIVERY), and ActiveMQ's
 * schedule properties as application properties. Timing is checked one way only.
 */
@Timeout(60)
class QpidJmsScheduledTest {

    private static final long MARGIN_MILLIS = 100;
    private static final long WAIT_MILLIS = 5000;

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private Connection connect() throws Exception {
        Connection connection = new JmsConnectionFactory(broker.amqpUri()).createConnection();
        connection.start();
        return connection;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static Message receiveAfter(MessageConsumer consumer, long since, long millis) throws JMSException {
        long early = millis - MARGIN_MILLIS - millisSince(since);
        if (early > 0) {
            assertThat(consumer.receive(early)).as("a message before its delay").isNull();
        }
        Message message = consumer.receive(WAIT_MILLIS);
        assertThat(message).as("the delayed message").isNotNull();
        assertThat(millisSince(since)).isGreaterThanOrEqualTo(millis - MARGIN_MILLIS);
        return message;
    }

    @Test
    void deliveryDelayHoldsTheMessageBack() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("amqp.delayed");
            MessageConsumer consumer = session.createConsumer(queue);
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryDelay(1000);
            long sent = System.nanoTime();
            producer.send(session.createTextMessage("later"));

            assertThat(((TextMessage) receiveAfter(consumer, sent, 1000)).getText()).isEqualTo("later");
        }
    }

    @Test
    void scheduleProperties() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("amqp.ticks");
            MessageConsumer consumer = session.createConsumer(queue);
            TextMessage message = session.createTextMessage("tick");
            message.setLongProperty("AMQ_SCHEDULED_DELAY", 300);
            message.setLongProperty("AMQ_SCHEDULED_PERIOD", 300);
            message.setIntProperty("AMQ_SCHEDULED_REPEAT", 1);
            long sent = System.nanoTime();
            session.createProducer(queue).send(message);

            Message first = receiveAfter(consumer, sent, 300);
            Message second = receiveAfter(consumer, sent, 600);

            assertThat(first.getStringProperty("scheduledJobId")).isEqualTo(second.getStringProperty("scheduledJobId"));
            assertThat(first.propertyExists("AMQ_SCHEDULED_REPEAT")).isFalse();
            assertThat(consumer.receive(600)).as("a third delivery").isNull();
        }
    }
}
