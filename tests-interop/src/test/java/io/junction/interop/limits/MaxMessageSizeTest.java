package io.junction.interop.limits;

import io.junction.interop.mqtt.v5.Packet;
import io.junction.interop.mqtt.v5.PahoV5;
import io.junction.interop.mqtt.v5.Props;
import io.junction.interop.mqtt.v5.RawMqtt5Client;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A listener's {@code maxMessageSize} (64 KB here) with each protocol's real client: a message just
 * under it passes, one over it is refused with the protocol's own error, and the broker goes on
 * serving. AMQP frames are 8 KB here, so that both messages arrive in several transfer frames.
 */
@Timeout(60)
class MaxMessageSizeTest {

    private static final int LIMIT = 64 * 1024;
    /** Room for each protocol's own headers around the body. */
    private static final int JUST_UNDER = LIMIT - 2048;
    private static final int OVER = LIMIT + 1024;

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker("""
            protocols:
              amqp:
                maxFrameSize: 8KB
            """).withListenerSettings("maxMessageSize: 64KB");

    @Test
    void mqtt5IsToldTheLimitAMessageUnderItPassesAndOneOverItIsDisconnectedWith0x95() throws Exception {
        PahoV5 subscriber = PahoV5.connected(broker.mqttUri(), "size-sub");
        subscriber.client.subscribe("size/t", 1);
        try (PahoV5 publisher = PahoV5.connected(broker.mqttUri(), "size-pub")) {
            publisher.publish("size/t", "x".repeat(JUST_UNDER), 1, false);
        }
        assertThat(subscriber.next().text()).as("the message under the limit").hasSize(JUST_UNDER);

        try (RawMqtt5Client client = RawMqtt5Client.open(broker.mqttPort())) {
            Packet connack = client.send(RawMqtt5Client.connect("size-raw", true, 30, Props.of())).expect(Packet.CONNACK);
            assertThat(connack.props.number(Props.MAXIMUM_PACKET_SIZE)).isEqualTo((long) LIMIT);
            client.send(RawMqtt5Client.publish("size/t", 1, false, 1, Props.of(), "x".repeat(OVER)));
            Packet disconnect = client.expect(Packet.DISCONNECT);
            assertThat(disconnect.reasonCode).isEqualTo(0x95);
        }
        assertThat(subscriber.client.isConnected()).as("the broker still serves the others").isTrue();
        subscriber.close();
    }

    @Test
    void stompAMessageUnderTheLimitPassesAndOneOverItGetsAnErrorFrame() throws Exception {
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            client.write(RawStompClient.frameWithBody("SEND", "y".repeat(JUST_UNDER), "destination:/queue/size",
                    "receipt:under"));
            assertThat(client.readFrame().command()).isEqualTo("RECEIPT");
            client.write(RawStompClient.frameWithBody("SEND", "y".repeat(OVER), "destination:/queue/size"));
            assertThat(client.expectErrorAndClose().header("message"))
                    .isEqualTo("message body exceeds the maximum message size of 65536 bytes");
        }
        assertThat(broker.broker().queue("size").depth()).isEqualTo(1);
        try (RawStompClient other = RawStompClient.connected(broker.stompPort(), "1.2")) {
            assertThat(other).as("the broker still serves the others").isNotNull();
        }
    }

    @Test
    void amqpSendOverTheLimitFailsWithMessageSizeExceededAndTheBrokerGoesOn() throws Exception {
        JmsConnectionFactory factory = new JmsConnectionFactory(broker.amqpUri());
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("size.amqp"));
            producer.send(bytes(session, JUST_UNDER));

            JMSException refused = catchThrowableOfType(JMSException.class, () -> producer.send(bytes(session, OVER)));
            assertThat(refused).as("the send over the limit fails").isNotNull();
            assertThat(refused).hasMessageContaining("larger than the maximum message size of 65536 bytes");

            MessageProducer another = session.createProducer(session.createQueue("size.amqp"));
            another.send(bytes(session, 100));
            MessageConsumer consumer = session.createConsumer(session.createQueue("size.amqp"));
            assertThat(((BytesMessage) consumer.receive(10_000)).getBodyLength()).isEqualTo(JUST_UNDER);
            assertThat(((BytesMessage) consumer.receive(10_000)).getBodyLength()).isEqualTo(100);
        }
    }

    @Test
    void openWireClientRefusesToSendOverTheAnnouncedLimitAndAnotherConnectionIsServed() throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.openWireUri());
        Connection connection = factory.createConnection();
        connection.start();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(session.createQueue("size.openwire"));
        producer.send(bytes(session, JUST_UNDER));
        // The client checks the MaxFrameSize the broker announced before it writes a byte; as with an
        // ActiveMQ broker, the failed write then ends its connection.
        JMSException refused = catchThrowableOfType(JMSException.class, () -> producer.send(bytes(session, OVER)));
        assertThat(refused).as("the send over the limit fails").isNotNull();
        assertThat(refused).hasRootCauseInstanceOf(org.apache.activemq.MaxFrameSizeExceededException.class);
        try {
            connection.close();
        } catch (JMSException alreadyEnded) {
            // the client ended the connection after the failed write
        }
        try (Connection other = factory.createConnection()) {
            other.start();
            Session otherSession = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = otherSession.createConsumer(otherSession.createQueue("size.openwire"));
            assertThat(((BytesMessage) consumer.receive(10_000)).getBodyLength()).isEqualTo(JUST_UNDER);
        }
    }

    private static BytesMessage bytes(Session session, int size) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        message.writeBytes(new byte[size]);
        return message;
    }
}
