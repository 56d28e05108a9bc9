package io.junction.interop.openwire;

import io.junction.interop.mqtt.PahoClient;
import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.junction.interop.openwire.JmsKinds.bytes;
import static io.junction.interop.openwire.JmsKinds.receive;
import static io.junction.interop.raw.RawStompClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ActiveMQ client with {@code jms.useCompression=true} deflates its bodies; every consumer,
 * whatever its protocol, gets them inflated: an OpenWire consumer that does not compress, Qpid
 * JMS over AMQP, STOMP and MQTT.
 */
@Timeout(60)
class OpenWireCrossCompressionTest {

    private static final String TEXT = "compress me, ünïcode € ".repeat(500);
    private static final byte[] BYTES = new byte[20_000];

    static {
        for (int i = 0; i < BYTES.length; i++) {
            BYTES[i] = (byte) (i % 7);
        }
    }

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private final List<Connection> connections = new ArrayList<>();

    @AfterEach
    void close() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException ignored) {
                // closing anyway
            }
        }
    }

    private Session session(Connection connection) throws JMSException {
        connections.add(connection);
        connection.start();
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    /**
     * Text, bytes, map, stream and object, each compressed by the client. Without a copy on send
     * the test can see that the client did compress each message it sent.
     */
    private void sendCompressed(String topic) throws Exception {
        Session session = session(JmsKinds.openWire(broker, "&jms.useCompression=true&jms.copyMessageOnSend=false")
                .createConnection());
        MessageProducer producer = session.createProducer(session.createTopic(topic));
        List<Message> sent = new ArrayList<>();
        sent.add(session.createTextMessage(TEXT));
        BytesMessage bytes = session.createBytesMessage();
        bytes.writeBytes(BYTES);
        sent.add(bytes);
        MapMessage map = JmsKinds.everyMapType(session.createMapMessage());
        map.setString("text", TEXT);
        sent.add(map);
        sent.add(JmsKinds.everyStreamType(session.createStreamMessage()));
        sent.add(session.createObjectMessage(new ArrayList<>(List.of(TEXT))));
        for (Message m : sent) {
            producer.send(m);
            assertThat(((ActiveMQMessage) m).isCompressed()).as("the client compressed %s", m.getClass()).isTrue();
        }
    }

    private static void assertInflated(MessageConsumer consumer) throws JMSException {
        assertThat(((TextMessage) receive(consumer)).getText()).isEqualTo(TEXT);
        assertThat(bytes((BytesMessage) receive(consumer))).isEqualTo(BYTES);
        MapMessage map = (MapMessage) receive(consumer);
        JmsKinds.assertEveryMapType(map);
        assertThat(map.getString("text")).isEqualTo(TEXT);
        JmsKinds.assertEveryStreamType((StreamMessage) receive(consumer));
        assertThat(((ObjectMessage) receive(consumer)).getObject()).isEqualTo(List.of(TEXT));
    }

    @Test
    void compressedBodiesReachOpenWireAndAmqpConsumersInflated() throws Exception {
        Session openWire = session(JmsKinds.openWire(broker, "").createConnection());
        MessageConsumer openWireSubscriber = openWire.createConsumer(openWire.createTopic("xoc.all"));
        Session amqp = session(new JmsConnectionFactory(broker.amqpUri()).createConnection());
        MessageConsumer amqpSubscriber = amqp.createConsumer(amqp.createTopic("xoc.all"));

        sendCompressed("xoc.all");

        assertInflated(openWireSubscriber);
        assertInflated(amqpSubscriber);
    }

    @Test
    void compressedTextAndBytesReachStompAndMqttInflated() throws Exception {
        try (RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2");
             PahoClient mqtt = PahoClient.connect(broker.mqttUri(), "xoc-sub", PahoClient.options(true))) {
            stomp.write(frame("SUBSCRIBE", "id:1", "destination:/topic/xoc.edge", "receipt:subscribed"));
            assertThat(stomp.readFrame().command()).isEqualTo("RECEIPT");
            mqtt.subscribe("xoc/edge", 1);

            sendCompressed("xoc.edge");

            RawFrame text = stomp.readFrame();
            assertThat(text.bodyText()).isEqualTo(TEXT);
            RawFrame binary = stomp.readFrame();
            assertThat(binary.body()).isEqualTo(BYTES);
            assertThat(mqtt.await().text()).isEqualTo(TEXT);
            assertThat(mqtt.await().message().getPayload()).isEqualTo(BYTES);
        }
    }

    @Test
    void compressedMessagesOnAQueueReachACompressingOpenWireConsumer() throws Exception {
        Session sender = session(JmsKinds.openWire(broker, "&jms.useCompression=true").createConnection());
        MessageProducer producer = sender.createProducer(sender.createQueue("xoc.q"));
        producer.send(sender.createTextMessage(TEXT));
        producer.send(JmsKinds.everyMapType(sender.createMapMessage()));

        Session receiver = session(JmsKinds.openWire(broker, "&jms.useCompression=true").createConnection());
        MessageConsumer consumer = receiver.createConsumer(receiver.createQueue("xoc.q"));
        assertThat(((TextMessage) receive(consumer)).getText()).isEqualTo(TEXT);
        JmsKinds.assertEveryMapType((MapMessage) receive(consumer));
    }
}
