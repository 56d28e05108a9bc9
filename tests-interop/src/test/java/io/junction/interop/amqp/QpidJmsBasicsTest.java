package io.junction.interop.amqp;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Qpid JMS against Junction's AMQP listener: the basics of queues and topics. */
@Timeout(60)
class QpidJmsBasicsTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private Connection connect() throws JMSException {
        Connection connection = new JmsConnectionFactory(broker.amqpUri()).createConnection();
        connection.start();
        return connection;
    }

    @Test
    void persistentQueueMessageIsReceivedWithItsProperties() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("orders");
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            TextMessage sent = session.createTextMessage("hello over AMQP");
            sent.setStringProperty("region", "eu");
            sent.setIntProperty("count", 3);
            producer.send(sent);

            MessageConsumer consumer = session.createConsumer(queue);
            TextMessage received = (TextMessage) consumer.receive(5000);
            assertThat(received).isNotNull();
            assertThat(received.getText()).isEqualTo("hello over AMQP");
            assertThat(received.getStringProperty("region")).isEqualTo("eu");
            assertThat(received.getIntProperty("count")).isEqualTo(3);
            assertThat(received.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        }
        assertThat(broker.broker().queue("orders").depth()).isZero();
    }

    @Test
    void topicSubscribersEachGetACopy() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic("prices.eur");
            MessageConsumer first = session.createConsumer(topic);
            MessageConsumer second = session.createConsumer(session.createTopic("prices.*"));
            session.createProducer(topic).send(session.createTextMessage("1.08"));

            assertThat(((TextMessage) first.receive(5000)).getText()).isEqualTo("1.08");
            assertThat(((TextMessage) second.receive(5000)).getText()).isEqualTo("1.08");
        }
    }
}
