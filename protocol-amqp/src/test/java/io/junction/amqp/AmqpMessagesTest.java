package io.junction.amqp;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AmqpMessagesTest {

    private static org.apache.qpid.proton.message.Message decode(byte[] bytes) {
        org.apache.qpid.proton.message.Message m = org.apache.qpid.proton.message.Message.Factory.create();
        m.decode(bytes, 0, bytes.length);
        return m;
    }

    @Test
    void largeBytesBodySurvivesBothWays() {
        byte[] body = new byte[10 * 1024 * 1024];
        Arrays.fill(body, (byte) 7);
        org.apache.qpid.proton.message.Message amqp = org.apache.qpid.proton.message.Message.Factory.create();
        amqp.setBody(new Data(new Binary(body)));

        Message core = AmqpMessages.toCore(decode(AmqpCodec.encode(amqp, 0)), Destination.queue("q"), 0);
        assertThat(core.bodyType()).isEqualTo(BodyType.BYTES);
        assertThat(core.body()).isEqualTo(body);

        org.apache.qpid.proton.message.Message back = decode(AmqpCodec.encode(
                AmqpMessages.toAmqp(core, Destination.queue("q"), 0, 0), 0));
        Binary binary = ((Data) back.getBody()).getValue();
        assertThat(binary.getLength()).isEqualTo(body.length);
    }

    @Test
    void otherBodiesAreKeptEncoded() {
        org.apache.qpid.proton.message.Message amqp = org.apache.qpid.proton.message.Message.Factory.create();
        amqp.setBody(new AmqpValue(List.of(1, "two")));
        Message core = AmqpMessages.toCore(amqp, Destination.queue("q"), 0);
        assertThat(core.bodyType()).isEqualTo(BodyType.AMQP_VALUE);
        org.apache.qpid.proton.message.Message back = AmqpMessages.toAmqp(core, Destination.queue("q"), 0, 0);
        assertThat(((AmqpValue) back.getBody()).getValue()).isEqualTo(List.of(1, "two"));
    }
}
