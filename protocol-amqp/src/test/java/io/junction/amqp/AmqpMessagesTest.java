package io.junction.amqp;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.model.ScheduleProperties;
import io.junction.core.model.StructuredBody;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.messaging.AmqpSequence;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
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
    void bodiesWithoutANeutralFormAreKeptEncoded() {
        org.apache.qpid.proton.message.Message amqp = org.apache.qpid.proton.message.Message.Factory.create();
        List<Object> list = List.of(UnsignedInteger.valueOf(1), Symbol.valueOf("two"));
        amqp.setBody(new AmqpValue(list));
        Message core = AmqpMessages.toCore(amqp, Destination.queue("q"), 0);
        assertThat(core.bodyType()).isEqualTo(BodyType.AMQP_VALUE);
        org.apache.qpid.proton.message.Message back = AmqpMessages.toAmqp(core, Destination.queue("q"), 0, 0);
        assertThat(((AmqpValue) back.getBody()).getValue()).isEqualTo(list);
        assertThat(back.getMessageAnnotations().getValue().get(AmqpMessages.JMS_MSG_TYPE)).isEqualTo((byte) 0);
    }

    @Test
    void mapValueIsANeutralMapAndComesBackAsAMapMessage() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("s", "text");
        map.put("i", 42);
        map.put("c", 'x');
        map.put("b", new Binary(new byte[] {1, 2}));
        map.put("n", null);
        org.apache.qpid.proton.message.Message amqp = org.apache.qpid.proton.message.Message.Factory.create();
        amqp.setBody(new AmqpValue(map));

        Message core = AmqpMessages.toCore(decode(AmqpCodec.encode(amqp, 0)), Destination.queue("q"), 0);
        assertThat(core.bodyType()).isEqualTo(BodyType.MAP);
        Map<String, Object> neutral = StructuredBody.decodeMap(core.body());
        assertThat(neutral).containsEntry("s", "text").containsEntry("i", 42).containsEntry("c", 'x')
                .containsEntry("n", null);
        assertThat((byte[]) neutral.get("b")).containsExactly(1, 2);
        assertThat(core.properties()).doesNotContainKey(AmqpMessages.MSG_TYPE);

        org.apache.qpid.proton.message.Message back = decode(AmqpCodec.encode(
                AmqpMessages.toAmqp(core, Destination.queue("q"), 0, 0), 0));
        assertThat(((AmqpValue) back.getBody()).getValue()).isEqualTo(map);
        assertThat(back.getMessageAnnotations().getValue().get(AmqpMessages.JMS_MSG_TYPE)).isEqualTo((byte) 2);
    }

    @Test
    void sequenceAndListValueAreNeutralStreams() {
        for (Section body : List.<Section>of(new AmqpSequence(List.of("a", 1L)), new AmqpValue(List.of("a", 1L)))) {
            org.apache.qpid.proton.message.Message amqp = org.apache.qpid.proton.message.Message.Factory.create();
            amqp.setBody(body);
            Message core = AmqpMessages.toCore(amqp, Destination.queue("q"), 0);
            assertThat(core.bodyType()).isEqualTo(BodyType.STREAM);
            assertThat(StructuredBody.decodeList(core.body())).containsExactly("a", 1L);
            org.apache.qpid.proton.message.Message back = AmqpMessages.toAmqp(core, Destination.queue("q"), 0, 0);
            assertThat(((AmqpValue) back.getBody()).getValue()).isEqualTo(List.of("a", 1L));
            assertThat(back.getMessageAnnotations().getValue().get(AmqpMessages.JMS_MSG_TYPE)).isEqualTo((byte) 4);
        }
    }

    @Test
    void serializedObjectIsAnObjectBodyWithItsContentTypeAndAnnotation() {
        org.apache.qpid.proton.message.Message amqp = org.apache.qpid.proton.message.Message.Factory.create();
        amqp.setBody(new Data(new Binary(new byte[] {(byte) 0xac, (byte) 0xed})));
        amqp.setContentType(AmqpMessages.SERIALIZED_OBJECT);
        Message core = AmqpMessages.toCore(amqp, Destination.queue("q"), 0);
        assertThat(core.bodyType()).isEqualTo(BodyType.OBJECT);
        assertThat(core.properties()).isEmpty();

        org.apache.qpid.proton.message.Message back = AmqpMessages.toAmqp(core, Destination.queue("q"), 0, 0);
        assertThat(back.getContentType()).isEqualTo(AmqpMessages.SERIALIZED_OBJECT);
        assertThat(((Data) back.getBody()).getValue().getArray()).containsExactly(0xac, 0xed);
        assertThat(back.getMessageAnnotations().getValue().get(AmqpMessages.JMS_MSG_TYPE)).isEqualTo((byte) 1);
    }

    @Test
    void plainJmsMessageHasNoBodyBothWays() {
        org.apache.qpid.proton.message.Message amqp = org.apache.qpid.proton.message.Message.Factory.create();
        amqp.setMessageAnnotations(new MessageAnnotations(Map.of(AmqpMessages.JMS_MSG_TYPE, (byte) 0)));
        amqp.setBody(new AmqpValue(null));
        Message core = AmqpMessages.toCore(amqp, Destination.queue("q"), 0);
        assertThat(core.bodyType()).isEqualTo(BodyType.NONE);
        assertThat(core.properties()).isEmpty();

        org.apache.qpid.proton.message.Message back = AmqpMessages.toAmqp(core, Destination.queue("q"), 0, 0);
        assertThat(back.getBody()).isNull();
        assertThat(back.getMessageAnnotations().getValue().get(AmqpMessages.JMS_MSG_TYPE)).isEqualTo((byte) 0);
    }

    @Test
    void expirationTravelsAsTtlAndAbsoluteExpiryTime() {
        Message core = Message.builder(Destination.queue("q")).expiration(10_000).build();
        org.apache.qpid.proton.message.Message amqp = AmqpMessages.toAmqp(core, Destination.queue("q"), 0, 4_000);
        assertThat(amqp.getTtl()).isEqualTo(6_000);
        assertThat(amqp.getExpiryTime()).isEqualTo(10_000);
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
