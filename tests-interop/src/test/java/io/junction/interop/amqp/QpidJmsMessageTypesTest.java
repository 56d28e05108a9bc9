package io.junction.interop.amqp;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every JMS message type, no-local, and JMS 2.0 shared subscriptions through Qpid JMS. */
@Timeout(60)
class QpidJmsMessageTypesTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private Connection connect(String clientId) throws Exception {
        Connection connection = new JmsConnectionFactory(broker.amqpUri()).createConnection();
        if (clientId != null) {
            connection.setClientID(clientId);
        }
        connection.start();
        return connection;
    }

    @Test
    void everyMessageTypeArrivesAsItWasSent() throws Exception {
        try (Connection connection = connect(null)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("types");
            MessageProducer producer = session.createProducer(queue);
            producer.send(session.createTextMessage("text"));
            BytesMessage bytes = session.createBytesMessage();
            bytes.writeBytes(new byte[] {1, 2, 3});
            producer.send(bytes);
            MapMessage map = session.createMapMessage();
            map.setString("name", "junction");
            map.setInt("answer", 42);
            producer.send(map);
            StreamMessage stream = session.createStreamMessage();
            stream.writeString("first");
            stream.writeLong(7L);
            producer.send(stream);
            producer.send(session.createObjectMessage(new ArrayList<>(List.of("a", "b"))));
            producer.send(session.createMessage());

            MessageConsumer consumer = session.createConsumer(queue);
            assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("text");
            BytesMessage b = (BytesMessage) consumer.receive(5000);
            byte[] body = new byte[(int) b.getBodyLength()];
            b.readBytes(body);
            assertThat(body).containsExactly(1, 2, 3);
            MapMessage m = (MapMessage) consumer.receive(5000);
            assertThat(m.getString("name")).isEqualTo("junction");
            assertThat(m.getInt("answer")).isEqualTo(42);
            StreamMessage s = (StreamMessage) consumer.receive(5000);
            assertThat(s.readString()).isEqualTo("first");
            assertThat(s.readLong()).isEqualTo(7L);
            ObjectMessage o = (ObjectMessage) consumer.receive(5000);
            assertThat(o.getObject()).isEqualTo(List.of("a", "b"));
            Message plain = consumer.receive(5000);
            assertThat(plain).isNotNull().isNotInstanceOf(TextMessage.class).isNotInstanceOf(BytesMessage.class);
        }
    }

    @Test
    void noLocalSubscriberDoesNotGetItsOwnConnectionsMessages() throws Exception {
        try (Connection mine = connect("local-1"); Connection other = connect("other-1")) {
            Session session = mine.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic("chat");
            MessageConsumer noLocal = session.createConsumer(topic, null, true);
            session.createProducer(topic).send(session.createTextMessage("mine"));
            Session otherSession = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            otherSession.createProducer(otherSession.createTopic("chat")).send(otherSession.createTextMessage("theirs"));
            assertThat(((TextMessage) noLocal.receive(5000)).getText()).isEqualTo("theirs");
            assertThat(noLocal.receive(300)).isNull();
        }
    }

    @Test
    void sharedSubscriptionGivesEachMessageToOneMember() throws Exception {
        try (JMSContext context = new JmsConnectionFactory(broker.amqpUri()).createContext()) {
            Topic topic = context.createTopic("jobs");
            JMSConsumer first = context.createSharedConsumer(topic, "workers");
            JMSConsumer second = context.createSharedConsumer(topic, "workers");
            for (int i = 0; i < 10; i++) {
                context.createProducer().send(topic, "job " + i);
            }
            int received = 0;
            int firstCount = 0;
            for (JMSConsumer consumer : List.of(first, second)) {
                for (String body; (body = consumer.receiveBody(String.class, 500)) != null; ) {
                    received++;
                    if (consumer == first) {
                        firstCount++;
                    }
                }
            }
            assertThat(received).isEqualTo(10);
            assertThat(firstCount).isBetween(1, 9);
        }
    }

    @Test
    void sharedDurableSubscriptionKeepsMessagesAndServesSeveralConsumers() throws Exception {
        try (JMSContext context = new JmsConnectionFactory(broker.amqpUri()).createContext()) {
            context.setClientID("shared-durable");
            Topic topic = context.createTopic("audit");
            JMSConsumer first = context.createSharedDurableConsumer(topic, "auditors");
            JMSConsumer second = context.createSharedDurableConsumer(topic, "auditors");
            first.close();
            second.close();
            for (int i = 0; i < 4; i++) {
                context.createProducer().send(topic, "entry " + i);
            }
            JMSConsumer back = context.createSharedDurableConsumer(topic, "auditors");
            int received = 0;
            while (back.receiveBody(String.class, 1000) != null) {
                received++;
            }
            assertThat(received).isEqualTo(4);
            back.close();
            context.unsubscribe("auditors");
        }
        assertThat(broker.broker().queues()).noneMatch(q -> q.name().contains("auditors"));
    }
}
