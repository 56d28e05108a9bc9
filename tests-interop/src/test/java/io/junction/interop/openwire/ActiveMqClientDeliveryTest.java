package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Redelivery to the DLQ, composite sends, priorities and expiry through the ActiveMQ 6.x client. */
@Timeout(60)
class ActiveMqClientDeliveryTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private Connection connect() throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.openWireUri());
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(2);
        policy.setInitialRedeliveryDelay(0);
        policy.setRedeliveryDelay(0);
        factory.setRedeliveryPolicy(policy);
        Connection connection = factory.createConnection();
        connection.start();
        return connection;
    }

    @Test
    void messageRolledBackPastTheClientsRedeliveryPolicyGoesToTheDlqWithItsCause() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            Queue queue = session.createQueue("ow.poison");
            session.createProducer(queue).send(session.createTextMessage("poison"));
            session.commit();
            MessageConsumer consumer = session.createConsumer(queue);
            for (int attempt = 0; attempt < 3; attempt++) {
                Message m = consumer.receive(5000);
                assertThat(m).as("attempt %d", attempt).isNotNull();
                session.rollback();
            }
            assertThat(consumer.receive(500)).isNull();
            consumer.close();
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message dead = plain.createConsumer(plain.createQueue("DLQ")).receive(5000);
            assertThat(((TextMessage) dead).getText()).isEqualTo("poison");
            assertThat(dead.getStringProperty("dlqDeliveryFailureCause")).isNotBlank();
        }
    }

    @Test
    void theBrokersRedeliveryCountReachesTheNextConsumerWhoseClientPolicyThenDeadLetters() throws Exception {
        try (Connection producer = connect()) {
            Session session = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("ow.crashing")).send(session.createTextMessage("job"));
        }
        // Each consumer's connection goes away without acknowledging: the broker counts the attempt.
        for (int attempt = 1; attempt <= 3; attempt++) {
            try (Connection consumer = connect()) {
                Session session = consumer.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                Message m = session.createConsumer(session.createQueue("ow.crashing")).receive(5000);
                assertThat(m).as("attempt %d", attempt).isNotNull();
                assertThat(m.getJMSRedelivered()).isEqualTo(attempt > 1);
                assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(attempt);
            }
        }
        // Two redeliveries are what the client's policy allows: the next transacted consumer (the
        // client checks before dispatch in transacted sessions) refuses the message with a poison
        // ack, and the broker moves it to the DLQ.
        try (Connection consumer = connect()) {
            Session transacted = consumer.createSession(true, Session.SESSION_TRANSACTED);
            assertThat(transacted.createConsumer(transacted.createQueue("ow.crashing")).receive(1000)).isNull();
            Session session = consumer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message dead = session.createConsumer(session.createQueue("DLQ")).receive(5000);
            assertThat(((TextMessage) dead).getText()).isEqualTo("job");
            assertThat(dead.getStringProperty("dlqDeliveryFailureCause")).contains("RedeliveryPolicy");
        }
    }

    @Test
    void compositeSendReachesEveryMemberAndPrioritiesOrderDelivery() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("ow.eu,ow.us"));
            producer.send(session.createTextMessage("low"), DeliveryMode.PERSISTENT, 1, 0);
            producer.send(session.createTextMessage("high"), DeliveryMode.PERSISTENT, 9, 0);
            for (String name : new String[] {"ow.eu", "ow.us"}) {
                MessageConsumer consumer = session.createConsumer(session.createQueue(name));
                assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("high");
                assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("low");
                consumer.close();
            }
        }
    }

    @Test
    void expiredMessagesAreNotDelivered() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("ow.ttl");
            MessageProducer producer = session.createProducer(queue);
            producer.send(session.createTextMessage("short"), DeliveryMode.PERSISTENT, 4, 100);
            producer.send(session.createTextMessage("long"), DeliveryMode.PERSISTENT, 4, 60_000);
            Thread.sleep(300);
            MessageConsumer consumer = session.createConsumer(queue);
            assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("long");
            assertThat(consumer.receive(300)).isNull();
        }
    }
}
