package io.junction.openwire;

import io.junction.bench.jmh.Samples;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.command.ConnectionId;
import org.apache.activemq.command.MessageId;
import org.apache.activemq.command.ProducerId;
import org.apache.activemq.command.SessionId;
import org.apache.activemq.openwire.OpenWireFormat;
import org.apache.activemq.openwire.OpenWireFormatFactory;
import org.apache.activemq.util.ByteSequence;

import java.util.Arrays;

/**
 * The broker's and a client's {@link OpenWireFormat}, negotiated with each other as a connection
 * negotiates them (both activemq-client's defaults: tight encoding, the marshalling cache on), and
 * the messages the benchmarks send through them.
 */
public final class OpenWireBenchFormats {

    private static final ProducerId PRODUCER = new ProducerId(new SessionId(new ConnectionId("ID:bench-producer-1"), 1), 1);

    public final OpenWireFormat broker = format();
    public final OpenWireFormat client = format();
    private long sequence;

    public OpenWireBenchFormats() throws Exception {
        broker.renegotiateWireFormat(client.getPreferedWireFormatInfo());
        client.renegotiateWireFormat(broker.getPreferedWireFormatInfo());
    }

    private static OpenWireFormat format() {
        return (OpenWireFormat) new OpenWireFormatFactory().createWireFormat();
    }

    /** A persistent text message of the given size to the sample queue, as the JMS client builds it. */
    public ActiveMQTextMessage textMessage(String text) throws Exception {
        ActiveMQTextMessage message = new ActiveMQTextMessage();
        message.setMessageId(new MessageId(PRODUCER, ++sequence));
        message.setProducerId(PRODUCER);
        message.setDestination(new ActiveMQQueue(Samples.QUEUE));
        message.setPersistent(true);
        message.setPriority((byte) 4);
        message.setTimestamp(1_700_000_000_000L);
        message.setCorrelationId("order-4711");
        message.setStringProperty("region", "eu");
        message.setDoubleProperty("amount", 250.0);
        message.setLongProperty("customer", 4711L);
        message.setText(text);
        return message;
    }

    /**
     * The bytes (size prefix included, as the broker's frame decoder passes them on) of a text
     * message sent after an identical one, so that both formats' caches hold its producer and
     * destination as on a connection in use.
     */
    public byte[] sentBytes(String text) throws Exception {
        broker.unmarshal(client.marshal(textMessage(text)));
        ByteSequence bytes = client.marshal(textMessage(text));
        return Arrays.copyOfRange(bytes.getData(), bytes.getOffset(), bytes.getOffset() + bytes.getLength());
    }
}
