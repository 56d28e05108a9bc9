package io.junction.interop.amqp;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** JMS semantics through Qpid JMS: selectors, durable subscriptions, client acknowledgement, reply-to. */
@Timeout(60)
class QpidJmsSemanticsTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private Connection connect(String clientId) throws JMSException {
        Connection connection = new JmsConnectionFactory(broker.amqpUri()).createConnection();
        if (clientId != null) {
            connection.setClientID(clientId);
        }
        connection.start();
        return connection;
    }

    @Test
    void selectorPicksMatchingMessages() throws Exception {
        try (Connection connection = connect(null)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("paints");
            MessageProducer producer = session.createProducer(queue);
            for (String color : new String[] {"red", "blue", "red"}) {
                TextMessage m = session.createTextMessage(color);
                m.setStringProperty("color", color);
                producer.send(m);
            }
            MessageConsumer reds = session.createConsumer(queue, "color = 'red'");
            assertThat(((TextMessage) reds.receive(5000)).getText()).isEqualTo("red");
            assertThat(((TextMessage) reds.receive(5000)).getText()).isEqualTo("red");
            assertThat(reds.receive(300)).isNull();
        }
    }

    @Test
    void durableSubscriptionKeepsMessagesWhileAwayAndUnsubscribeRemovesIt() throws Exception {
        try (Connection connection = connect("amqp-durable")) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic("news");
            session.createDurableSubscriber(topic, "reader").close();
            session.createProducer(topic).send(session.createTextMessage("while away"));
        }
        try (Connection connection = connect("amqp-durable")) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer reader = session.createDurableSubscriber(session.createTopic("news"), "reader");
            assertThat(((TextMessage) reader.receive(5000)).getText()).isEqualTo("while away");
            reader.close();
            session.unsubscribe("reader");
        }
        assertThat(broker.broker().queues()).noneMatch(q -> q.name().equals("amqp-durable:reader"));
    }

    @Test
    void recoverRedeliversUnacknowledgedMessages() throws Exception {
        try (Connection connection = connect(null)) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = session.createQueue("work");
            session.createProducer(queue).send(session.createTextMessage("job"));
            MessageConsumer consumer = session.createConsumer(queue);
            Message first = consumer.receive(5000);
            assertThat(first.getJMSRedelivered()).isFalse();
            session.recover();
            Message again = consumer.receive(5000);
            assertThat(((TextMessage) again).getText()).isEqualTo("job");
            assertThat(again.getJMSRedelivered()).isTrue();
            again.acknowledge();
        }
    }

    @Test
    void requestReplyOverATemporaryQueue() throws Exception {
        try (Connection connection = connect(null)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue requests = session.createQueue("requests");
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer replyConsumer = session.createConsumer(replies);
            TextMessage request = session.createTextMessage("ping");
            request.setJMSReplyTo(replies);
            request.setJMSCorrelationID("req-1");
            session.createProducer(requests).send(request);

            Message received = session.createConsumer(requests).receive(5000);
            TextMessage reply = session.createTextMessage("pong");
            reply.setJMSCorrelationID(received.getJMSCorrelationID());
            session.createProducer(received.getJMSReplyTo()).send(reply);

            TextMessage answer = (TextMessage) replyConsumer.receive(5000);
            assertThat(answer.getText()).isEqualTo("pong");
            assertThat(answer.getJMSCorrelationID()).isEqualTo("req-1");
        }
    }

    @Test
    void largeBytesMessageCrossesInManyFrames() throws Exception {
        // Just under the listener's default maxMessageSize (10 MB for the whole message, headers included).
        byte[] body = new byte[10 * 1024 * 1024 - 4096];
        Arrays.fill(body, (byte) 7);
        body[body.length - 1] = 9;
        try (Connection connection = connect(null)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("large");
            BytesMessage sent = session.createBytesMessage();
            sent.writeBytes(body);
            session.createProducer(queue).send(sent);
            BytesMessage received = (BytesMessage) session.createConsumer(queue).receive(20000);
            byte[] back = new byte[(int) received.getBodyLength()];
            received.readBytes(back);
            assertThat(back).isEqualTo(body);
        }
    }
}
