package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The ActiveMQ 6.x JMS client against Junction's OpenWire listener: the basics. */
@Timeout(60)
class ActiveMqClientBasicsTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private Connection connect(String clientId) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.openWireUri());
        Connection connection = factory.createConnection();
        if (clientId != null) {
            connection.setClientID(clientId);
        }
        connection.start();
        return connection;
    }

    @Test
    void queueMessagesOfEachTypeArriveWithTheirProperties() throws Exception {
        try (Connection connection = connect(null)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("ow.orders");
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            TextMessage text = session.createTextMessage("hello over OpenWire");
            text.setStringProperty("region", "eu");
            text.setIntProperty("count", 3);
            producer.send(text);
            BytesMessage bytes = session.createBytesMessage();
            bytes.writeBytes(new byte[] {1, 2, 3});
            producer.send(bytes);
            MapMessage map = session.createMapMessage();
            map.setString("name", "junction");
            producer.send(map);

            MessageConsumer consumer = session.createConsumer(queue);
            TextMessage received = (TextMessage) consumer.receive(5000);
            assertThat(received.getText()).isEqualTo("hello over OpenWire");
            assertThat(received.getStringProperty("region")).isEqualTo("eu");
            assertThat(received.getIntProperty("count")).isEqualTo(3);
            BytesMessage b = (BytesMessage) consumer.receive(5000);
            byte[] body = new byte[(int) b.getBodyLength()];
            b.readBytes(body);
            assertThat(body).containsExactly(1, 2, 3);
            assertThat(((MapMessage) consumer.receive(5000)).getString("name")).isEqualTo("junction");
        }
        assertThat(broker.broker().queue("ow.orders").depth()).isZero();
    }

    @Test
    void topicSubscribersEachGetACopyAndDurableOnesKeepMessages() throws Exception {
        try (Connection connection = connect("ow-durable")) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic("ow.prices");
            MessageConsumer live = session.createConsumer(topic);
            session.createDurableSubscriber(topic, "keeper").close();
            session.createProducer(topic).send(session.createTextMessage("1.08"));
            assertThat(((TextMessage) live.receive(5000)).getText()).isEqualTo("1.08");
            MessageConsumer keeper = session.createDurableSubscriber(topic, "keeper");
            assertThat(((TextMessage) keeper.receive(5000)).getText()).isEqualTo("1.08");
            keeper.close();
            session.unsubscribe("keeper");
        }
    }
}
