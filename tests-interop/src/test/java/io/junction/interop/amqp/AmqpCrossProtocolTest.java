package io.junction.interop.amqp;

import io.junction.interop.mqtt.PahoClient;
import io.junction.interop.mqtt.v5.PahoV5;
import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.junction.interop.raw.RawStompClient.frame;
import static io.junction.interop.raw.RawStompClient.frameWithBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AMQP (Qpid JMS) meets STOMP and MQTT (Paho) on the same destinations, by design section 3's
 * conversion rules: AMQP application-properties are JMS properties and STOMP headers and MQTT 5
 * user properties; text is UTF-8 bytes; an MQTT payload is a {@code BytesMessage} unless MQTT 5's
 * payload-format-indicator says UTF-8, then a {@code TextMessage}; MQTT {@code a/b} is the JMS
 * topic {@code a.b} (design section 2); a STOMP frame without {@code content-length} carries text.
 */
@Timeout(60)
class AmqpCrossProtocolTest {

    private static final long RECEIVE_MILLIS = 5000;

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private Connection jms;

    private Session session() throws JMSException {
        jms = new JmsConnectionFactory(broker.amqpUri()).createConnection();
        jms.start();
        return jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @AfterEach
    void closeJms() throws JMSException {
        if (jms != null) {
            jms.close();
        }
    }

    private RawStompClient stompSubscriber(String destination) throws Exception {
        RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2");
        stomp.write(frame("SUBSCRIBE", "id:1", "destination:" + destination, "receipt:subscribed"));
        RawFrame receipt = stomp.readFrame();
        assertThat(receipt.command()).as("%s", receipt).isEqualTo("RECEIPT");
        return stomp;
    }

    // ---- AMQP <-> STOMP ----

    @Test
    void jmsTextMessageToQueueIsReadByStompWithItsPropertiesAsHeaders() throws Exception {
        Session session = session();
        MessageProducer producer = session.createProducer(session.createQueue("xp.orders"));
        producer.setPriority(7);
        TextMessage sent = session.createTextMessage("héllo from AMQP");
        sent.setStringProperty("region", "eu");
        sent.setIntProperty("count", 3);
        sent.setJMSCorrelationID("corr-1");
        sent.setJMSType("order");
        producer.send(sent, DeliveryMode.PERSISTENT, 7, 0);

        try (RawStompClient stomp = stompSubscriber("/queue/xp.orders")) {
            RawFrame message = stomp.readFrame();
            assertThat(message.command()).as("%s", message).isEqualTo("MESSAGE");
            assertThat(message.header("destination")).isEqualTo("/queue/xp.orders");
            assertThat(message.bodyText()).isEqualTo("héllo from AMQP");
            assertThat(message.header("region")).as("string property as a header").isEqualTo("eu");
            assertThat(message.header("count")).as("int property as a header").isEqualTo("3");
            assertThat(message.header("correlation-id")).isEqualTo("corr-1");
            assertThat(message.header("type")).isEqualTo("order");
            assertThat(message.header("priority")).isEqualTo("7");
            assertThat(message.header("persistent")).isEqualTo("true");
            assertThat(message.header("message-id")).isNotBlank();
        }
    }

    @Test
    void stompSendIsReadByJmsAsTextWithHeadersAsProperties() throws Exception {
        try (RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2")) {
            stomp.write(frameWithBody("SEND", "from STOMP", "destination:/queue/xp.inbox", "region:eu",
                    "correlation-id:corr-2", "persistent:true", "priority:6", "receipt:sent"));
            assertThat(stomp.readFrame().header("receipt-id")).isEqualTo("sent");
            stomp.write(frameWithBody("SEND", "raw\u0001bytes", "destination:/queue/xp.inbox", "content-length:9",
                    "receipt:sent2"));
            assertThat(stomp.readFrame().header("receipt-id")).isEqualTo("sent2");
        }

        Session session = session();
        MessageConsumer consumer = session.createConsumer(session.createQueue("xp.inbox"));
        Message first = consumer.receive(RECEIVE_MILLIS);
        assertThat(first).as("STOMP SEND without content-length").isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) first).getText()).isEqualTo("from STOMP");
        assertThat(first.getStringProperty("region")).isEqualTo("eu");
        assertThat(first.getJMSCorrelationID()).isEqualTo("corr-2");
        assertThat(first.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(first.getJMSPriority()).isEqualTo(6);
        assertThat(first.getJMSDestination().toString()).contains("xp.inbox");

        Message second = consumer.receive(RECEIVE_MILLIS);
        assertThat(second).as("STOMP SEND with content-length").isInstanceOf(BytesMessage.class);
        assertThat(bytes((BytesMessage) second)).isEqualTo("raw\u0001bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(second.getJMSDeliveryMode()).as("STOMP's default").isEqualTo(DeliveryMode.NON_PERSISTENT);
    }

    // ---- AMQP <-> MQTT ----

    @Test
    void mqttPublishOnABIsABytesMessageForAJmsSubscriberOfTopicAB() throws Exception {
        Session session = session();
        MessageConsumer subscriber = session.createConsumer(session.createTopic("a.b"));
        byte[] payload = {0, 1, 2, (byte) 0xff, 'x'};
        try (PahoClient mqtt = PahoClient.connect(broker.mqttUri(), "xp-amqp-pub", PahoClient.options(true))) {
            mqtt.publish("a/b", payload, 1, false);
        }

        Message received = subscriber.receive(RECEIVE_MILLIS);
        assertThat(received).as("MQTT publish on a/b at JMS topic a.b").isInstanceOf(BytesMessage.class);
        assertThat(bytes((BytesMessage) received)).isEqualTo(payload);
        assertThat(received.getJMSDestination().toString()).contains("a.b");
    }

    @Test
    void mqtt5Utf8PayloadIsATextMessageWithUserPropertiesAsStringProperties() throws Exception {
        Session session = session();
        MessageConsumer subscriber = session.createConsumer(session.createTopic("a.b"));
        try (PahoV5 mqtt = PahoV5.connected(broker.mqttUri(), "xp-amqp-pub5")) {
            MqttProperties props = new MqttProperties();
            props.setPayloadFormat(true);
            props.setUserProperties(List.of(new UserProperty("unit", "celsius")));
            mqtt.publish("a/b", "21.5 °C", 1, props);
            MqttProperties plain = new MqttProperties();
            mqtt.publish("a/b", "no indicator", 1, plain);
        }

        Message text = subscriber.receive(RECEIVE_MILLIS);
        assertThat(text).as("payload-format-indicator 1").isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) text).getText()).isEqualTo("21.5 °C");
        assertThat(text.getStringProperty("unit")).isEqualTo("celsius");
        Message bytes = subscriber.receive(RECEIVE_MILLIS);
        assertThat(bytes).as("no payload-format-indicator").isInstanceOf(BytesMessage.class);
        assertThat(new String(bytes((BytesMessage) bytes), StandardCharsets.UTF_8)).isEqualTo("no indicator");
    }

    @Test
    void jmsPublishOnTopicABIsReadByMqttSubscriberOfAB() throws Exception {
        try (PahoClient mqtt = PahoClient.connect(broker.mqttUri(), "xp-amqp-sub", PahoClient.options(true))) {
            mqtt.subscribe("a/b", 1);
            Session session = session();
            MessageProducer producer = session.createProducer(session.createTopic("a.b"));
            producer.send(session.createTextMessage("to MQTT ünïcode"));
            BytesMessage binary = session.createBytesMessage();
            binary.writeBytes(new byte[] {9, 8, 7, 0});
            producer.send(binary);

            PahoClient.Received text = mqtt.await();
            assertThat(text.topic()).isEqualTo("a/b");
            assertThat(text.text()).as("text as UTF-8 bytes").isEqualTo("to MQTT ünïcode");
            PahoClient.Received received = mqtt.await();
            assertThat(received.topic()).isEqualTo("a/b");
            assertThat(received.message().getPayload()).isEqualTo(new byte[] {9, 8, 7, 0});
        }
    }

    @Test
    void jmsStringPropertiesReachAnMqtt5SubscriberAsUserProperties() throws Exception {
        try (PahoV5 mqtt = PahoV5.connected(broker.mqttUri(), "xp-amqp-sub5")) {
            mqtt.client.subscribe("a/b", 1);
            Session session = session();
            TextMessage sent = session.createTextMessage("with properties");
            sent.setStringProperty("unit", "celsius");
            session.createProducer(session.createTopic("a.b")).send(sent);

            PahoV5.Received received = mqtt.next();
            assertThat(received.topic()).isEqualTo("a/b");
            assertThat(received.text()).isEqualTo("with properties");
            assertThat(received.props().getUserProperties()).extracting(UserProperty::getKey, UserProperty::getValue)
                    .contains(org.assertj.core.groups.Tuple.tuple("unit", "celsius"));
        }
    }

    private static byte[] bytes(BytesMessage message) throws JMSException {
        byte[] body = new byte[(int) message.getBodyLength()];
        message.readBytes(body);
        return body;
    }
}
