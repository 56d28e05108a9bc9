package io.junction.interop.openwire;

import io.junction.interop.mqtt.PahoClient;
import io.junction.interop.mqtt.v5.PahoV5;
import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.junction.interop.openwire.JmsKinds.bytes;
import static io.junction.interop.openwire.JmsKinds.receive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The ActiveMQ client (OpenWire) and MQTT 3.1.1 / 5 (Paho) on the same topics, both ways (design
 * sections 2 and 3): MQTT {@code a/b} is the JMS topic {@code a.b}, {@code +}/{@code #} are
 * {@code *}/{@code >}; an MQTT payload is a BytesMessage, a TextMessage with MQTT 5's
 * payload-format-indicator 1; JMS text and bytes are the payload; user properties are string
 * properties; QoS 1 and 2 are persistent, QoS 0 is not, and a subscriber gets QoS 2 for a
 * persistent JMS message and QoS 0 for a non-persistent one, at most its subscription's QoS.
 */
@Timeout(60)
class OpenWireCrossMqttTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @RegisterExtension
    final OpenWireClients.Sessions openWire = new OpenWireClients.Sessions(broker);

    // ---- MQTT -> OpenWire ----

    @Test
    void mqttPublishesAreBytesMessagesOnTheTopicWithDotsForSlashesAndQosAsPersistence() throws Exception {
        Session session = openWire.open();
        MessageConsumer exact = session.createConsumer(session.createTopic("xom.sensors.kitchen.temp"));
        MessageConsumer oneWord = session.createConsumer(session.createTopic("xom.sensors.*.temp"));
        MessageConsumer rest = session.createConsumer(session.createTopic("xom.>"));
        byte[] payload = {0, 1, 2, (byte) 0xff, 'x'};
        try (PahoClient mqtt = PahoClient.connect(broker.mqttUri(), "xom-pub", PahoClient.options(true))) {
            mqtt.publish("xom/sensors/kitchen/temp", payload, 1, false);
            mqtt.publish("xom/sensors/kitchen/temp", "at most once".getBytes(StandardCharsets.UTF_8), 0, false);
            mqtt.publish("xom/sensors/kitchen/temp", "exactly once".getBytes(StandardCharsets.UTF_8), 2, false);
        }

        for (MessageConsumer subscriber : List.of(exact, oneWord, rest)) {
            Message qos1 = receive(subscriber);
            assertThat(qos1).isInstanceOf(BytesMessage.class);
            assertThat(bytes((BytesMessage) qos1)).isEqualTo(payload);
            assertThat(((Topic) qos1.getJMSDestination()).getTopicName()).isEqualTo("xom.sensors.kitchen.temp");
            assertThat(qos1.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            Message qos0 = receive(subscriber);
            assertThat(new String(bytes((BytesMessage) qos0), StandardCharsets.UTF_8)).isEqualTo("at most once");
            assertThat(qos0.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
            Message qos2 = receive(subscriber);
            assertThat(new String(bytes((BytesMessage) qos2), StandardCharsets.UTF_8)).isEqualTo("exactly once");
            assertThat(qos2.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        }
    }

    @Test
    void mqtt5PropertiesBecomeTextMessageStringPropertiesAndJmsHeaders() throws Exception {
        Session session = openWire.open();
        MessageConsumer subscriber = session.createConsumer(session.createTopic("xom.sensors.hall"));
        long before;
        try (PahoV5 mqtt = PahoV5.connected(broker.mqttUri(), "xom-pub5")) {
            MqttProperties props = new MqttProperties();
            props.setPayloadFormat(true);
            props.setUserProperties(List.of(new UserProperty("unit", "celsius"), new UserProperty("site", "hq")));
            props.setMessageExpiryInterval(60L);
            props.setResponseTopic("xom/replies/hall");
            props.setCorrelationData("corr-5".getBytes(StandardCharsets.UTF_8));
            before = System.currentTimeMillis();
            mqtt.publish("xom/sensors/hall", "21.5 °C", 1, props);
            mqtt.publish("xom/sensors/hall", "no indicator", 1, new MqttProperties());
        }

        Message text = receive(subscriber);
        long after = System.currentTimeMillis();
        assertThat(text).as("payload-format-indicator 1").isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) text).getText()).isEqualTo("21.5 °C");
        assertThat(text.getObjectProperty("unit")).isEqualTo("celsius");
        assertThat(text.getObjectProperty("site")).isEqualTo("hq");
        assertThat(text.getJMSExpiration()).isBetween(before + 60_000, after + 60_000);
        assertThat(text.getJMSReplyTo()).isInstanceOf(Topic.class);
        assertThat(((Topic) text.getJMSReplyTo()).getTopicName()).isEqualTo("xom.replies.hall");
        assertThat(text.getJMSCorrelationID()).isEqualTo("corr-5");
        assertThat(text.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);

        Message plain = receive(subscriber);
        assertThat(plain).as("no payload-format-indicator").isInstanceOf(BytesMessage.class);
        assertThat(new String(bytes((BytesMessage) plain), StandardCharsets.UTF_8)).isEqualTo("no indicator");
    }

    @Test
    void aDotInsideAnMqttLevelIsASlashInTheJmsTopicName() throws Exception {
        Session session = openWire.open();
        MessageConsumer subscriber = session.createConsumer(session.createTopic("xom.v1/2.state"));
        try (PahoClient mqtt = PahoClient.connect(broker.mqttUri(), "xom-dot", PahoClient.options(true))) {
            mqtt.publish("xom/v1.2/state", "on", 1, false);
        }
        Message m = receive(subscriber);
        assertThat(((Topic) m.getJMSDestination()).getTopicName()).isEqualTo("xom.v1/2.state");
    }

    // ---- OpenWire -> MQTT ----

    @Test
    void openWireTextAndBytesAreMqttPayloadsWithStringPropertiesAsUserProperties() throws Exception {
        try (PahoV5 mqtt5 = PahoV5.connected(broker.mqttUri(), "xom-sub5");
             PahoClient mqtt3 = PahoClient.connect(broker.mqttUri(), "xom-sub3", PahoClient.options(true))) {
            mqtt5.client.subscribe("xom/out/+", 2);
            mqtt3.subscribe("xom/#", 2);
            Session session = openWire.open();
            MessageProducer producer = session.createProducer(session.createTopic("xom.out.a"));
            TextMessage text = session.createTextMessage("ünïcode text");
            JmsKinds.setProperties(text);
            producer.send(text, DeliveryMode.PERSISTENT, 4, 0);
            BytesMessage bytes = session.createBytesMessage();
            bytes.writeBytes(JmsKinds.BYTES);
            producer.send(bytes, DeliveryMode.NON_PERSISTENT, 4, 0);

            // Paho hands a QoS 2 message to the application only at PUBREL, so the QoS 0 one sent
            // after it may come first.
            PahoV5.Received firstV5 = mqtt5.next();
            PahoV5.Received secondV5 = mqtt5.next();
            PahoV5.Received t5 = firstV5.message().getQos() == 2 ? firstV5 : secondV5;
            assertThat(t5.topic()).isEqualTo("xom/out/a");
            assertThat(t5.text()).isEqualTo("ünïcode text");
            assertThat(t5.props().getPayloadFormat()).as("payload-format-indicator for text").isTrue();
            assertThat(t5.message().getQos()).as("persistent: QoS 2").isEqualTo(2);
            assertThat(t5.props().getUserProperties()).extracting(UserProperty::getKey, UserProperty::getValue)
                    .contains(tuple("str", "ünï €"), tuple("bool", "true"), tuple("byte", "-7"),
                            tuple("short", "300"), tuple("int", "70000"), tuple("long", String.valueOf(1L << 40)),
                            tuple("float", "1.5"), tuple("double", String.valueOf(Math.PI)));
            PahoV5.Received b5 = firstV5.message().getQos() == 2 ? secondV5 : firstV5;
            assertThat(b5.message().getPayload()).isEqualTo(JmsKinds.BYTES);
            assertThat(b5.props().getPayloadFormat()).isFalse();
            assertThat(b5.message().getQos()).as("non-persistent: QoS 0").isZero();

            PahoClient.Received first = mqtt3.await();
            PahoClient.Received second = mqtt3.await();
            PahoClient.Received t3 = first.qos() == 2 ? first : second;
            PahoClient.Received b3 = first.qos() == 2 ? second : first;
            assertThat(t3.topic()).isEqualTo("xom/out/a");
            assertThat(t3.text()).isEqualTo("ünïcode text");
            assertThat(t3.qos()).isEqualTo(2);
            assertThat(b3.message().getPayload()).isEqualTo(JmsKinds.BYTES);
            assertThat(b3.qos()).isZero();
        }
    }

    @Test
    void persistentJmsMessagesGoAtTheSubscriptionsQos() throws Exception {
        try (PahoClient mqtt = PahoClient.connect(broker.mqttUri(), "xom-qos1", PahoClient.options(true))) {
            mqtt.subscribe("xom/qos", 1);
            Session session = openWire.open();
            MessageProducer producer = session.createProducer(session.createTopic("xom.qos"));
            producer.send(session.createTextMessage("persistent"), DeliveryMode.PERSISTENT, 4, 0);
            producer.send(session.createTextMessage("non-persistent"), DeliveryMode.NON_PERSISTENT, 4, 0);

            assertThat(mqtt.await().qos()).isEqualTo(1);
            assertThat(mqtt.await().qos()).isZero();
        }
    }

    @Test
    void jmsHeadersBecomeMqtt5Properties() throws Exception {
        try (PahoV5 mqtt = PahoV5.connected(broker.mqttUri(), "xom-headers")) {
            mqtt.client.subscribe("xom/headers", 1);
            Session session = openWire.open();
            TextMessage m = session.createTextMessage("request");
            m.setJMSCorrelationID("corr-6");
            m.setJMSReplyTo(session.createTopic("xom.replies.6"));
            session.createProducer(session.createTopic("xom.headers")).send(m, DeliveryMode.PERSISTENT, 4, 60_000);

            PahoV5.Received received = mqtt.next();
            assertThat(received.props().getCorrelationData()).isEqualTo("corr-6".getBytes(StandardCharsets.UTF_8));
            assertThat(received.props().getResponseTopic()).isEqualTo("xom/replies/6");
            assertThat(received.props().getMessageExpiryInterval()).isBetween(1L, 60L);
        }
    }
}
