package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asynchronous sends under a producer window, large and compressed messages, and durable
 * subscriptions across a broker restart, through the ActiveMQ client.
 */
@Timeout(120)
class ActiveMqClientProducersTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private Connection connect(String options) throws Exception {
        return OpenWireClients.connect(broker, options);
    }

    @Test
    void asynchronousSendsBeyondTheProducerWindowAllArrive() throws Exception {
        // A 16 KB window holds about 15 of these messages: the rest can only go once the broker's
        // ProducerAcks give the window back.
        try (Connection connection = connect("?jms.useAsyncSend=true&jms.producerWindowSize=16384")) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("ow.async"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            byte[] payload = new byte[1024];
            int count = 2000;
            for (int i = 0; i < count; i++) {
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(payload);
                message.setIntProperty("n", i);
                producer.send(message);
            }
            MessageConsumer consumer = session.createConsumer(session.createQueue("ow.async"));
            for (int i = 0; i < count; i++) {
                Message received = consumer.receive(10_000);
                assertThat(received).as("message %d", i).isNotNull();
                assertThat(received.getIntProperty("n")).isEqualTo(i);
            }
        }
    }

    @Test
    void tenMegabyteMessagesArriveIntact() throws Exception {
        // Just under the listener's default maxMessageSize (10 MB for the whole command, headers included).
        byte[] payload = new byte[10 * 1024 * 1024 - 4096];
        new Random(7).nextBytes(payload);
        try (Connection connection = connect("")) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(payload);
            session.createProducer(session.createQueue("ow.large")).send(message);
            BytesMessage received = (BytesMessage) session.createConsumer(session.createQueue("ow.large")).receive(30_000);
            byte[] body = new byte[(int) received.getBodyLength()];
            received.readBytes(body);
            assertThat(Arrays.equals(body, payload)).isTrue();
        }
    }

    @Test
    void compressedBodiesArriveAsSent() throws Exception {
        String text = "compress me ".repeat(10_000);
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Connection compressing = connect("?jms.useCompression=true"); Connection plain = connect("")) {
            Session sending = compressing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = sending.createProducer(sending.createQueue("ow.compressed"));
            producer.send(sending.createTextMessage(text));
            BytesMessage binary = sending.createBytesMessage();
            binary.writeBytes(bytes);
            producer.send(binary);
            Session receiving = plain.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = receiving.createConsumer(receiving.createQueue("ow.compressed"));
            assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo(text);
            BytesMessage received = (BytesMessage) consumer.receive(5000);
            byte[] body = new byte[(int) received.getBodyLength()];
            received.readBytes(body);
            assertThat(body).isEqualTo(bytes);
        }
    }

    @Test
    void anIdleClientWithAShortInactivityDurationIsKeptAliveByKeepAlives() throws Exception {
        try (Connection connection = connect("?wireFormat.maxInactivityDuration=300&wireFormat.maxInactivityDurationInitalDelay=100")) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("ow.idle"));
            // Several inactivity periods of silence from the application: both sides' monitors
            // would close the connection without the keep-alives.
            assertThat(consumer.receive(2000)).isNull();
            session.createProducer(session.createQueue("ow.idle")).send(session.createTextMessage("still here"));
            assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("still here");
        }
    }

    @Test
    void durableSubscriptionKeepsOfflineMessagesAcrossARestartUntilUnsubscribed() throws Exception {
        try (Connection subscriber = connect("?jms.clientID=ow-durable")) {
            Session session = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createDurableSubscriber(session.createTopic("ow.news"), "reader").close();
        }
        try (Connection publisher = connect("")) {
            Session session = publisher.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createTopic("ow.news"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(session.createTextMessage("while away 1"));
            producer.send(session.createTextMessage("while away 2"));
        }
        broker.restart();
        try (Connection subscriber = connect("?jms.clientID=ow-durable")) {
            Session session = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic("ow.news");
            TopicSubscriber reader = session.createDurableSubscriber(topic, "reader");
            assertThat(((TextMessage) reader.receive(5000)).getText()).isEqualTo("while away 1");
            assertThat(((TextMessage) reader.receive(5000)).getText()).isEqualTo("while away 2");
            reader.close();
            session.unsubscribe("reader");
            session.createProducer(topic).send(session.createTextMessage("after unsubscribe"));
            TopicSubscriber fresh = session.createDurableSubscriber(topic, "reader");
            assertThat(fresh.receive(500)).isNull();
        }
    }
}
