package io.junction.openwire;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.model.StructuredBody;
import jakarta.jms.MessageFormatException;
import org.apache.activemq.command.ActiveMQMapMessage;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQObjectMessage;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQStreamMessage;
import org.apache.activemq.command.MessageId;
import org.apache.activemq.command.ProducerId;
import org.apache.activemq.openwire.OpenWireFormat;
import org.apache.activemq.util.ByteSequence;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * OpenWire messages as the broker unmarshals them from the wire, converted to core messages and
 * back (docs/protocols/openwire.md, "Message conversion").
 */
class OpenWireMessagesTest {

    private static final ProducerId PRODUCER = new ProducerId("ID:test-1:1:1");

    /** The message as a broker reads it: marshalled by the client's wire format, then unmarshalled. */
    private static ActiveMQMessage overTheWire(ActiveMQMessage m) throws Exception {
        if (m instanceof ActiveMQStreamMessage stream) {
            stream.storeContent();
        }
        m.setDestination(new ActiveMQQueue("q"));
        if (m.getMessageId() == null) {
            m.setMessageId(new MessageId(PRODUCER, 1));
        }
        OpenWireFormat format = new OpenWireFormat();
        ByteSequence bytes = format.marshal(m);
        return (ActiveMQMessage) format.unmarshal(new DataInputStream(
                new java.io.ByteArrayInputStream(bytes.getData(), bytes.getOffset(), bytes.getLength())));
    }

    private static ActiveMQMessage back(Message core) throws Exception {
        return overTheWire(OpenWireMessages.toOpenWire(core, core.destination(), new MessageId(PRODUCER, 2)));
    }

    @Test
    void mapBodyIsNeutralInCoreAndAMapForOpenWireConsumers() throws Exception {
        ActiveMQMapMessage map = new ActiveMQMapMessage();
        map.setString("s", "text");
        map.setChar("c", 'x');
        map.setBytes("b", new byte[] {1, 2});
        map.setObject("nested", Map.of("n", 1L));

        Message core = OpenWireMessages.toCore(overTheWire(map));
        assertThat(core.bodyType()).isEqualTo(BodyType.MAP);
        Map<String, Object> neutral = StructuredBody.decodeMap(core.body());
        assertThat(neutral).containsEntry("s", "text").containsEntry("c", 'x').containsEntry("nested", Map.of("n", 1L));
        assertThat((byte[]) neutral.get("b")).containsExactly(1, 2);

        ActiveMQMapMessage out = (ActiveMQMapMessage) back(core);
        assertThat(out.getString("s")).isEqualTo("text");
        assertThat(out.getChar("c")).isEqualTo('x');
        assertThat(out.getBytes("b")).containsExactly(1, 2);
        assertThat(out.getObject("nested")).isEqualTo(Map.of("n", 1L));
    }

    @Test
    void streamBodyIsNeutralInCoreAndAStreamForOpenWireConsumers() throws Exception {
        ActiveMQStreamMessage stream = new ActiveMQStreamMessage();
        stream.writeString("first");
        stream.writeObject(null);
        stream.writeBytes(new byte[] {9});
        stream.writeDouble(0.5);

        Message core = OpenWireMessages.toCore(overTheWire(stream));
        assertThat(core.bodyType()).isEqualTo(BodyType.STREAM);
        List<Object> neutral = StructuredBody.decodeList(core.body());
        assertThat(neutral).hasSize(4);
        assertThat(neutral.get(0)).isEqualTo("first");
        assertThat(neutral.get(1)).isNull();
        assertThat((byte[]) neutral.get(2)).containsExactly(9);

        ActiveMQStreamMessage out = (ActiveMQStreamMessage) back(core);
        out.reset();
        assertThat(out.readString()).isEqualTo("first");
        assertThat(out.readObject()).isNull();
        assertThat(out.readObject()).isEqualTo(new byte[] {9});
        assertThat(out.readDouble()).isEqualTo(0.5);
    }

    @Test
    void compressedObjectBodyIsInflatedToItsSerializedForm() throws Exception {
        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
            out.writeObject(new ArrayList<>(List.of("a")));
        }
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(deflated)) {
            out.write(serialized.toByteArray());
        }
        ActiveMQObjectMessage object = new ActiveMQObjectMessage();
        object.setContent(new ByteSequence(deflated.toByteArray()));
        object.setCompressed(true);

        Message core = OpenWireMessages.toCore(overTheWire(object));
        assertThat(core.bodyType()).isEqualTo(BodyType.OBJECT);
        assertThat(core.body()).isEqualTo(serialized.toByteArray());
        ActiveMQMessage out = back(core);
        assertThat(out.isCompressed()).isFalse();
        assertThat(out.getContent().getLength()).isEqualTo(serialized.size());
    }

    @Test
    void plainMessageHasNoBody() throws Exception {
        Message core = OpenWireMessages.toCore(overTheWire(new ActiveMQMessage()));
        assertThat(core.bodyType()).isEqualTo(BodyType.NONE);
        assertThat(back(core)).isExactlyInstanceOf(ActiveMQMessage.class);
    }

    @Test
    void unreadableBodyIsAMessageFormatException() throws Exception {
        ActiveMQMapMessage map = new ActiveMQMapMessage();
        map.setContent(new ByteSequence(new byte[] {0, 0, 0, 1, 0}));
        ActiveMQMessage received = overTheWire(map);
        assertThatThrownBy(() -> OpenWireMessages.toCore(received)).isInstanceOf(MessageFormatException.class);
    }
}
