package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnectionFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One message of every JMS kind, each with a property of every JMS property type, sent by one
 * JMS client and checked as another receives it. The code is the same for every client, so a
 * test can send with one protocol and receive with another in either direction.
 */
final class JmsKinds {

    static final long RECEIVE_MILLIS = 5000;
    /** Longer than 65535 UTF-8 bytes: ActiveMQ marshals it as a "big string". */
    static final String BIG = String.join("", Collections.nCopies(9000, "ünïcode ")).substring(0, 70_000);
    static final byte[] BYTES = {0, 1, 2, (byte) 0xff, 'x', 0};

    private JmsKinds() {
    }

    /**
     * An ActiveMQ client factory without advisory watching, trusting {@code java.util} for the
     * ObjectMessage of {@link #sendEveryKind} (ActiveMQ 6 trusts no package by default).
     *
     * @param options more URI options, e.g. {@code &jms.useCompression=true}, or ""
     */
    static ActiveMQConnectionFactory openWire(EmbeddedBroker broker, String options) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.openWireUri()
                + "?jms.watchTopicAdvisories=false" + options);
        factory.setTrustedPackages(List.of("java.util"));
        return factory;
    }

    /** A property of each JMS property type. */
    static void setProperties(Message m) throws JMSException {
        m.setStringProperty("str", "ünï €");
        m.setBooleanProperty("bool", true);
        m.setByteProperty("byte", (byte) -7);
        m.setShortProperty("short", (short) 300);
        m.setIntProperty("int", 70_000);
        m.setLongProperty("long", 1L << 40);
        m.setFloatProperty("float", 1.5f);
        m.setDoubleProperty("double", Math.PI);
    }

    /** The properties of {@link #setProperties} with their Java types unchanged. */
    static void assertProperties(Message m) throws JMSException {
        assertThat(m.getObjectProperty("str")).isEqualTo("ünï €");
        assertThat(m.getObjectProperty("bool")).isEqualTo(true);
        assertThat(m.getObjectProperty("byte")).isEqualTo((byte) -7);
        assertThat(m.getObjectProperty("short")).isEqualTo((short) 300);
        assertThat(m.getObjectProperty("int")).isEqualTo(70_000);
        assertThat(m.getObjectProperty("long")).isEqualTo(1L << 40);
        assertThat(m.getObjectProperty("float")).isEqualTo(1.5f);
        assertThat(m.getObjectProperty("double")).isEqualTo(Math.PI);
    }

    /** Text, bytes, map, stream, object and a plain message, in that order, each with properties. */
    static void sendEveryKind(Session session, MessageProducer producer) throws JMSException {
        List<Message> messages = new ArrayList<>();
        messages.add(session.createTextMessage("text ünï €"));
        BytesMessage bytes = session.createBytesMessage();
        bytes.writeBytes(BYTES);
        messages.add(bytes);
        messages.add(everyMapType(session.createMapMessage()));
        messages.add(everyStreamType(session.createStreamMessage()));
        messages.add(session.createObjectMessage(new ArrayList<>(List.of("a", "b"))));
        messages.add(session.createMessage());
        for (Message m : messages) {
            setProperties(m);
            producer.send(m);
        }
    }

    static void assertEveryKind(MessageConsumer consumer) throws JMSException {
        Message text = receive(consumer);
        assertThat(text).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) text).getText()).isEqualTo("text ünï €");
        assertProperties(text);

        Message bytes = receive(consumer);
        assertThat(bytes).isInstanceOf(BytesMessage.class);
        assertThat(bytes((BytesMessage) bytes)).isEqualTo(BYTES);
        assertProperties(bytes);

        Message map = receive(consumer);
        assertThat(map).isInstanceOf(MapMessage.class);
        assertEveryMapType((MapMessage) map);
        assertProperties(map);

        Message stream = receive(consumer);
        assertThat(stream).isInstanceOf(StreamMessage.class);
        assertEveryStreamType((StreamMessage) stream);
        assertProperties(stream);

        Message object = receive(consumer);
        assertThat(object).isInstanceOf(ObjectMessage.class);
        assertThat(((ObjectMessage) object).getObject()).isEqualTo(List.of("a", "b"));
        assertProperties(object);

        Message plain = receive(consumer);
        assertThat(plain).isNotInstanceOfAny(TextMessage.class, BytesMessage.class, MapMessage.class,
                StreamMessage.class, ObjectMessage.class);
        assertProperties(plain);
    }

    static MapMessage everyMapType(MapMessage map) throws JMSException {
        map.setBoolean("boolean", true);
        map.setByte("byte", (byte) -1);
        map.setShort("short", (short) -300);
        map.setChar("char", 'é');
        map.setInt("int", Integer.MIN_VALUE);
        map.setLong("long", Long.MAX_VALUE);
        map.setFloat("float", -0.25f);
        map.setDouble("double", 1e300);
        map.setString("string", "ünï €");
        map.setString("big", BIG);
        map.setBytes("bytes", BYTES);
        return map;
    }

    static void assertEveryMapType(MapMessage map) throws JMSException {
        assertThat(map.getObject("boolean")).isEqualTo(true);
        assertThat(map.getObject("byte")).isEqualTo((byte) -1);
        assertThat(map.getObject("short")).isEqualTo((short) -300);
        assertThat(map.getObject("char")).isEqualTo('é');
        assertThat(map.getObject("int")).isEqualTo(Integer.MIN_VALUE);
        assertThat(map.getObject("long")).isEqualTo(Long.MAX_VALUE);
        assertThat(map.getObject("float")).isEqualTo(-0.25f);
        assertThat(map.getObject("double")).isEqualTo(1e300);
        assertThat(map.getObject("string")).isEqualTo("ünï €");
        assertThat(map.getString("big")).isEqualTo(BIG);
        assertThat(map.getBytes("bytes")).isEqualTo(BYTES);
    }

    static StreamMessage everyStreamType(StreamMessage stream) throws JMSException {
        stream.writeBoolean(false);
        stream.writeByte((byte) 127);
        stream.writeShort((short) 12345);
        stream.writeChar('€');
        stream.writeInt(-42);
        stream.writeLong(Long.MIN_VALUE);
        stream.writeFloat(3.25f);
        stream.writeDouble(-2.5e-300);
        stream.writeString("ünï €");
        stream.writeBytes(BYTES);
        stream.writeString(BIG);
        return stream;
    }

    static void assertEveryStreamType(StreamMessage stream) throws JMSException {
        assertThat(stream.readObject()).isEqualTo(false);
        assertThat(stream.readObject()).isEqualTo((byte) 127);
        assertThat(stream.readObject()).isEqualTo((short) 12345);
        assertThat(stream.readObject()).isEqualTo('€');
        assertThat(stream.readObject()).isEqualTo(-42);
        assertThat(stream.readObject()).isEqualTo(Long.MIN_VALUE);
        assertThat(stream.readObject()).isEqualTo(3.25f);
        assertThat(stream.readObject()).isEqualTo(-2.5e-300);
        assertThat(stream.readObject()).isEqualTo("ünï €");
        assertThat(stream.readObject()).isEqualTo(BYTES);
        assertThat(stream.readString()).isEqualTo(BIG);
    }

    static Message receive(MessageConsumer consumer) throws JMSException {
        Message m = consumer.receive(RECEIVE_MILLIS);
        assertThat(m).as("a message within %d ms", RECEIVE_MILLIS).isNotNull();
        return m;
    }

    static byte[] bytes(BytesMessage message) throws JMSException {
        byte[] body = new byte[(int) message.getBodyLength()];
        message.readBytes(body);
        return body;
    }
}
