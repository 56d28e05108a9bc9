package io.junction.interop.amqp;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSSecurityException;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Priorities, time-to-live and SASL through Qpid JMS. */
@Timeout(60)
class QpidJmsDeliveryTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker("""
            protocols:
              amqp:
                allowAnonymous: false
            """).withUser("user", "secret");

    private Connection connect() throws Exception {
        Connection connection = new JmsConnectionFactory("user", "secret", broker.amqpUri()).createConnection();
        connection.start();
        return connection;
    }

    @Test
    void higherPriorityMessagesAreDeliveredFirst() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("prio");
            MessageProducer producer = session.createProducer(queue);
            producer.send(session.createTextMessage("low"), DeliveryMode.PERSISTENT, 1, 0);
            producer.send(session.createTextMessage("high"), DeliveryMode.PERSISTENT, 8, 0);
            MessageConsumer consumer = session.createConsumer(queue);
            TextMessage first = (TextMessage) consumer.receive(5000);
            assertThat(first.getText()).isEqualTo("high");
            assertThat(first.getJMSPriority()).isEqualTo(8);
            assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("low");
        }
    }

    @Test
    void expiredMessageIsNotDelivered() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("ttl");
            MessageProducer producer = session.createProducer(queue);
            producer.send(session.createTextMessage("short-lived"), DeliveryMode.PERSISTENT, 4, 100);
            producer.send(session.createTextMessage("lasting"), DeliveryMode.PERSISTENT, 4, 60_000);
            Thread.sleep(300);
            MessageConsumer consumer = session.createConsumer(queue);
            TextMessage received = (TextMessage) consumer.receive(5000);
            assertThat(received.getText()).isEqualTo("lasting");
            assertThat(received.getJMSExpiration()).isPositive();
            assertThat(consumer.receive(300)).isNull();
        }
    }

    @Test
    void anonymousIsRefusedWhenTheConfigurationSaysSo() {
        assertThatThrownBy(() -> {
            JmsConnectionFactory factory = new JmsConnectionFactory(broker.amqpUri()
                    + "?amqp.saslMechanisms=ANONYMOUS");
            try (Connection connection = factory.createConnection()) {
                connection.start();
            }
        }).isInstanceOf(JMSSecurityException.class);
    }
}
