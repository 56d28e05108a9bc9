package io.junction.amqp;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.model.ScheduleProperties;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

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

    private static Message withAnnotations(Map<Symbol, Object> annotations, long now) {
        org.apache.qpid.proton.message.Message amqp = org.apache.qpid.proton.message.Message.Factory.create();
        amqp.setMessageAnnotations(new MessageAnnotations(annotations));
        amqp.setBody(new AmqpValue("x"));
        return AmqpMessages.toCore(amqp, Destination.queue("q"), now);
    }

    @Test
    void deliveryTimeBecomesADelay() {
        Message core = withAnnotations(Map.of(Symbol.valueOf("x-opt-delivery-time"), 10_500L), 10_000);

        assertThat(core.property(ScheduleProperties.DELAY)).isEqualTo(500L);
    }

    @Test
    void deliveryTimeInThePastMeansNoDelay() {
        Message core = withAnnotations(Map.of(Symbol.valueOf("x-opt-delivery-time"), 9_000L), 10_000);

        assertThat(core.property(ScheduleProperties.DELAY)).isEqualTo(0L);
    }

    @Test
    void scheduleAnnotationsBecomeScheduleProperties() {
        Message core = withAnnotations(Map.of(Symbol.valueOf("x-opt-delivery-delay"), 250L,
                Symbol.valueOf("AMQ_SCHEDULED_PERIOD"), 100L,
                Symbol.valueOf("AMQ_SCHEDULED_REPEAT"), UnsignedInteger.valueOf(2),
                Symbol.valueOf("x-opt-delivery-cron"), "0 * * * *"), 0);

        assertThat(core.properties()).containsEntry(ScheduleProperties.DELAY, 250L)
                .containsEntry(ScheduleProperties.PERIOD, 100L).containsEntry(ScheduleProperties.REPEAT, 2L)
                .containsEntry(ScheduleProperties.CRON, "0 * * * *");
    }

    @Test
    void applicationPropertyWinsOverAnAnnotation() {
        org.apache.qpid.proton.message.Message amqp = org.apache.qpid.proton.message.Message.Factory.create();
        amqp.setMessageAnnotations(new MessageAnnotations(Map.of(Symbol.valueOf("AMQ_SCHEDULED_DELAY"), 1L)));
        amqp.setApplicationProperties(new ApplicationProperties(Map.of("AMQ_SCHEDULED_DELAY", 2L)));

        Message core = AmqpMessages.toCore(amqp, Destination.queue("q"), 0);

        assertThat(core.property(ScheduleProperties.DELAY)).isEqualTo(2L);
    }
}
