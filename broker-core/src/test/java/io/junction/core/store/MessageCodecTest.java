package io.junction.core.store;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.model.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCodecTest {

    private static Message roundTrip(Message message) {
        ByteBuf out = Unpooled.buffer();
        MessageCodec.encode(message, out);
        ByteBuffer in = out.nioBuffer();
        Message decoded = MessageCodec.decode(in);
        assertThat(in.remaining()).as("bytes left after decoding").isZero();
        return decoded;
    }

    private static void assertSame(Message decoded, Message original) {
        assertThat(decoded).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(original);
        assertThat(StoreFixtures.describe(decoded)).isEqualTo(StoreFixtures.describe(original));
    }

    @Test
    void everyFieldSurvives() {
        Message original = Message.builder(Destination.topic("prices.eu.*"))
                .persistent(true)
                .priority(9)
                .timestamp(1_700_000_123_456L)
                .expiration(1_800_000_000_000L)
                .messageId("ID:host-1:42")
                .correlationId("corr-ü-漢")
                .replyTo(new Destination(DestinationType.TEMP_QUEUE, "reply.1"))
                .type("quote")
                .group("group-a", 17)
                .textBody("body ✓")
                .build();
        original.assignBrokerId(Long.MAX_VALUE - 3);

        assertSame(roundTrip(original), original);
    }

    @Test
    void everyPropertyTypeKeepsItsTypeValueAndOrder() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("string", "värde");
        properties.put("emptyString", "");
        properties.put("true", true);
        properties.put("false", false);
        properties.put("byte", (byte) -7);
        properties.put("short", Short.MIN_VALUE);
        properties.put("int", Integer.MAX_VALUE);
        properties.put("long", Long.MIN_VALUE);
        properties.put("float", 3.25f);
        properties.put("double", -1.0e300);
        properties.put("bytes", new byte[] {0, 1, -1, 127});
        properties.put("emptyBytes", new byte[0]);
        Message.Builder builder = Message.builder(Destination.queue("q"));
        properties.forEach(builder::property);
        Message original = builder.build();
        original.assignBrokerId(5);

        Message decoded = roundTrip(original);

        assertSame(decoded, original);
        assertThat(decoded.properties().keySet()).containsExactlyElementsOf(properties.keySet());
        properties.forEach((name, value) -> assertThat(decoded.property(name)).isInstanceOf(value.getClass()));
        assertThat((byte[]) decoded.property("bytes")).containsExactly(0, 1, -1, 127);
    }

    @Test
    void absentFieldsStayAbsent() {
        Message original = Message.builder(Destination.queue("q")).build();

        Message decoded = roundTrip(original);

        assertSame(decoded, original);
        assertThat(decoded.brokerId()).isZero();
        assertThat(decoded.messageId()).isNull();
        assertThat(decoded.correlationId()).isNull();
        assertThat(decoded.replyTo()).isNull();
        assertThat(decoded.type()).isNull();
        assertThat(decoded.groupId()).isNull();
        assertThat(decoded.properties()).isEmpty();
        assertThat(decoded.body()).isEmpty();
        assertThat(decoded.persistent()).isFalse();
        assertThat(decoded.priority()).isEqualTo(Message.DEFAULT_PRIORITY);
    }

    @Test
    void largeBodySurvives() {
        byte[] body = new byte[3 * 1024 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 7 + (i >>> 11));
        }
        Message original = Message.builder(Destination.queue("big")).body(BodyType.BYTES, body).build();

        assertThat(roundTrip(original).body()).isEqualTo(body);
    }

    @ParameterizedTest
    @EnumSource(BodyType.class)
    void everyBodyType(BodyType bodyType) {
        Message original = Message.builder(Destination.queue("q"))
                .body(bodyType, bodyType.name().getBytes(StandardCharsets.UTF_8)).build();

        Message decoded = roundTrip(original);

        assertThat(decoded.bodyType()).isEqualTo(bodyType);
        assertSame(decoded, original);
    }

    @ParameterizedTest
    @EnumSource(DestinationType.class)
    void everyDestinationType(DestinationType type) {
        Message original = Message.builder(new Destination(type, "a.b." + type))
                .replyTo(new Destination(type, "reply." + type)).build();

        Message decoded = roundTrip(original);

        assertThat(decoded.destination()).isEqualTo(original.destination());
        assertThat(decoded.replyTo()).isEqualTo(original.replyTo());
    }

    @Test
    void nullAndEmptyStringsAreDistinct() {
        ByteBuf out = Unpooled.buffer();
        MessageCodec.writeString(out, null);
        MessageCodec.writeString(out, "");
        MessageCodec.writeString(out, "x");
        ByteBuffer in = out.nioBuffer();

        assertThat(MessageCodec.readString(in)).isNull();
        assertThat(MessageCodec.readString(in)).isEmpty();
        assertThat(MessageCodec.readString(in)).isEqualTo("x");
    }

    @Test
    void unknownFormatIsRefused() {
        ByteBuf out = Unpooled.buffer();
        MessageCodec.encode(Message.builder(Destination.queue("q")).build(), out);
        out.setByte(0, 2);

        assertThatThrownBy(() -> MessageCodec.decode(out.nioBuffer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 2");
    }
}
