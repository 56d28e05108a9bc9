package io.junction.interop.mqtt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.junction.interop.mqtt.MqttBytes.connect;
import static io.junction.interop.mqtt.MqttBytes.pingreq;
import static io.junction.interop.mqtt.MqttBytes.publish;
import static io.junction.interop.mqtt.MqttBytes.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 3.1.1 section 3.3 PUBLISH: flags, retained messages, topic names, delivered QoS. */
@Timeout(30)
class Mqtt311Section3_3PublishTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final MqttBroker broker = MqttBroker.reconnectAtOnce();

    @Test
    @DisplayName("[MQTT-3.3.1-2] a QoS 0 delivery has DUP 0")
    void qos0DeliveryHasDupZero() throws Exception {
        try (RawMqttClient subscriber = RawMqttClient.connected(broker.port(), connect("dup0-sub"));
             PahoClient publisher = PahoClient.connect(broker, "dup0-pub")) {
            subscriber.send(subscribe(1, "dup0/t", 0)).expect(MqttPacket.SUBACK);
            publisher.publish("dup0/t", "qos0", 0, false);
            MqttPacket delivery = subscriber.expect(MqttPacket.PUBLISH);
            assertThat(delivery.qos()).isZero();
            assertThat(delivery.dup()).isFalse();
            assertThat(delivery.body()).as("no packet identifier: topic then payload")
                    .isEqualTo(MqttBytes.concat(MqttBytes.utf8("dup0/t"), "qos0".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-4] a PUBLISH with both QoS bits set closes the connection")
    void qos3ClosesTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("qos3"))) {
            client.sendQuietly(MqttBytes.packet(0x36, MqttBytes.concat(MqttBytes.utf8("a/b"), MqttBytes.u16(1))));
            client.awaitClosed();
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] [MQTT-3.3.1-6] [MQTT-3.3.1-8] a retained message goes to later subscribers with RETAIN 1")
    void retainedMessageReachesLaterSubscribers() throws Exception {
        try (PahoClient publisher = PahoClient.connect(broker, "retain-pub")) {
            publisher.publish("retain/kitchen/temp", "21.5", 1, true);
        }
        try (PahoClient subscriber = PahoClient.connect(broker, "retain-sub")) {
            subscriber.subscribe("retain/kitchen/temp", 1);
            PahoClient.Received received = subscriber.await();
            assertThat(received.text()).isEqualTo("21.5");
            assertThat(received.retained()).isTrue();
            assertThat(received.qos()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "filter {0}")
    @CsvSource({"retainwc/+/temp", "retainwc/#", "#", "+/kitchen/+"})
    @DisplayName("[MQTT-3.3.1-6] retained messages match wildcard subscriptions")
    void retainedMessagesMatchWildcards(String filter) throws Exception {
        try (PahoClient publisher = PahoClient.connect(broker, "retainwc-pub")) {
            publisher.publish("retainwc/kitchen/temp", "k", 0, true);
            publisher.publish("retainwc/hall/temp", "h", 1, true);
            publisher.publish("other/kitchen/light", "l", 2, true);
        }
        try (PahoClient subscriber = PahoClient.connect(broker, "retainwc-sub")) {
            subscriber.subscribe(filter, 2);
            List<String> expected = switch (filter) {
                case "retainwc/+/temp", "retainwc/#" -> List.of("retainwc/kitchen/temp=k", "retainwc/hall/temp=h");
                case "#" -> List.of("retainwc/kitchen/temp=k", "retainwc/hall/temp=h", "other/kitchen/light=l");
                default -> List.of("retainwc/kitchen/temp=k", "other/kitchen/light=l");
            };
            List<PahoClient.Received> received = subscriber.await(expected.size());
            assertThat(received).allMatch(PahoClient.Received::retained);
            assertThat(received).extracting(r -> r.topic() + "=" + r.text()).containsExactlyInAnyOrderElementsOf(expected);
            subscriber.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-7] a new retained message replaces the previous one, also at QoS 0")
    void newRetainedMessageReplacesThePrevious() throws Exception {
        try (PahoClient publisher = PahoClient.connect(broker, "replace-pub")) {
            publisher.publish("retain/replace", "first", 1, true);
            publisher.publish("retain/replace", "second", 0, true);
            try (PahoClient subscriber = PahoClient.connect(broker, "replace-sub")) {
                subscriber.subscribe("retain/replace", 1);
                // a QoS 0 retained publish may still be on its way: wait until the subscriber sees "second"
                PahoClient.Received received = subscriber.await();
                for (int attempt = 0; "first".equals(received.text()) && attempt < 20; attempt++) {
                    subscriber.unsubscribe("retain/replace");
                    subscriber.subscribe("retain/replace", 1);
                    received = subscriber.await();
                }
                assertThat(received.text()).isEqualTo("second");
                assertThat(received.qos()).as("the retained copy keeps its QoS 0").isZero();
                subscriber.assertNoMessage(QUIET);
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-9] a retained publish reaches existing subscribers with RETAIN 0")
    void liveDeliveryOfARetainedPublishHasRetainZero() throws Exception {
        try (PahoClient subscriber = PahoClient.connect(broker, "live-sub");
             PahoClient publisher = PahoClient.connect(broker, "live-pub")) {
            subscriber.subscribe("retain/live", 1);
            publisher.publish("retain/live", "now", 1, true);
            PahoClient.Received received = subscriber.await();
            assertThat(received.text()).isEqualTo("now");
            assertThat(received.retained()).isFalse();
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-10] [MQTT-3.3.1-11] a zero-byte retained publish clears the retained message")
    void emptyRetainedPublishClears() throws Exception {
        try (PahoClient publisher = PahoClient.connect(broker, "clear-pub")) {
            publisher.publish("retain/clear", "to be cleared", 1, true);
            publisher.publish("retain/clear", new byte[0], 1, true);
            publisher.publish("retain/kept", "kept", 1, true);
        }
        try (PahoClient subscriber = PahoClient.connect(broker, "clear-sub")) {
            subscriber.subscribe("retain/+", 1);
            PahoClient.Received received = subscriber.await();
            assertThat(received.topic()).isEqualTo("retain/kept");
            subscriber.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-12] a publish with RETAIN 0 neither stores nor replaces the retained message")
    void nonRetainedPublishLeavesTheRetainedMessage() throws Exception {
        try (PahoClient publisher = PahoClient.connect(broker, "keep-pub")) {
            publisher.publish("retain/keep", "retained", 1, true);
            publisher.publish("retain/keep", "not retained", 1, false);
            publisher.publish("retain/never", "not retained either", 1, false);
        }
        try (PahoClient subscriber = PahoClient.connect(broker, "keep-sub")) {
            subscriber.subscribe("retain/#", 1);
            PahoClient.Received received = subscriber.await();
            assertThat(received.topic()).isEqualTo("retain/keep");
            assertThat(received.text()).isEqualTo("retained");
            subscriber.assertNoMessage(QUIET);
        }
    }

    @ParameterizedTest(name = "topic bytes {0}")
    @CsvSource({"c0af", "ff", "eda080", "610062"})
    @DisplayName("[MQTT-3.3.2-1] [MQTT-1.5.3-1] [MQTT-1.5.3-2] a topic name that is not valid UTF-8 (or has U+0000) closes the connection")
    void invalidUtf8TopicClosesTheConnection(String hex) throws Exception {
        byte[] topic = java.util.HexFormat.of().parseHex(hex);
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("bad-utf8"))) {
            client.sendQuietly(publish(topic, 1, false, false, 7, "x".getBytes(StandardCharsets.UTF_8)));
            assertThat(client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)).as("no PUBACK").isEmpty();
        }
        BrokerChecks.assertStillServing(broker);
    }

    @ParameterizedTest(name = "topic {0}")
    @CsvSource({"a/+", "a/#", "+", "#", "a/b+", "a#"})
    @DisplayName("[MQTT-3.3.2-2] a topic name with a wildcard closes the connection")
    void wildcardInTopicNameClosesTheConnection(String topic) throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("wildcard-name"))) {
            client.sendQuietly(publish(topic, 1, false, 8, "x"));
            assertThat(client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)).as("no PUBACK").isEmpty();
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    @DisplayName("[MQTT-4.7.3-1] a zero-length topic name closes the connection")
    void emptyTopicNameClosesTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("empty-topic"))) {
            client.sendQuietly(publish("", 1, false, 9, "x"));
            assertThat(client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)).as("no PUBACK").isEmpty();
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-3] the delivered topic name is the published one, not the subscription's filter")
    void deliveredTopicNameIsThePublishedOne() throws Exception {
        try (PahoClient subscriber = PahoClient.connect(broker, "name-sub");
             PahoClient publisher = PahoClient.connect(broker, "name-pub")) {
            subscriber.subscribe("names/+/x/#", 1);
            publisher.publish("names/a b/x/y/z", "spaces and depth", 1, false);
            publisher.publish("names/é/x", "non-ASCII", 1, false);
            assertThat(subscriber.await(2)).extracting(PahoClient.Received::topic)
                    .containsExactly("names/a b/x/y/z", "names/é/x");
        }
    }

    @Test
    @DisplayName("payloads pass unchanged: all byte values, empty, 256 KB")
    void payloadsPassUnchanged() throws Exception {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < 256; i++) {
            allBytes[i] = (byte) i;
        }
        byte[] big = new byte[256 * 1024];
        new java.util.Random(42).nextBytes(big);
        try (PahoClient subscriber = PahoClient.connect(broker, "payload-sub");
             PahoClient publisher = PahoClient.connect(broker, "payload-pub")) {
            subscriber.subscribe("payload/#", 2);
            publisher.publish("payload/bytes", allBytes, 1, false);
            publisher.publish("payload/empty", new byte[0], 1, false);
            publisher.publish("payload/big", big, 2, false);
            List<PahoClient.Received> received = subscriber.await(3);
            assertThat(received.get(0).message().getPayload()).isEqualTo(allBytes);
            assertThat(received.get(1).message().getPayload()).isEmpty();
            assertThat(received.get(2).message().getPayload()).isEqualTo(big);
        }
    }

    @ParameterizedTest(name = "published at QoS {0}, subscribed at QoS {1}")
    @CsvSource({"0,0", "0,1", "0,2", "1,0", "1,1", "1,2", "2,0", "2,1", "2,2"})
    @DisplayName("[MQTT-3.8.4-6] [MQTT-3.3.5-1] delivered at the minimum of the published and the granted QoS")
    void deliveredQosIsTheMinimum(int publishedQos, int subscribedQos) throws Exception {
        try (PahoClient subscriber = PahoClient.connect(broker, "min-sub");
             PahoClient publisher = PahoClient.connect(broker, "min-pub")) {
            assertThat(subscriber.subscribe("min/qos", subscribedQos)).isEqualTo(subscribedQos);
            publisher.publish("min/qos", "m", publishedQos, false);
            assertThat(subscriber.await().qos()).isEqualTo(Math.min(publishedQos, subscribedQos));
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.4-1] QoS 0 gets no answer, QoS 1 a PUBACK, QoS 2 a PUBREC with the packet identifier")
    void eachQosGetsItsAnswer() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("answers"))) {
            client.send(publish("answers/t", 0, false, 0, "q0")).send(pingreq());
            assertThat(client.read().type()).as("no answer to QoS 0: the PINGRESP comes next").isEqualTo(MqttPacket.PINGRESP);

            client.send(publish("answers/t", 1, false, 0x1234, "q1"));
            MqttPacket puback = client.expect(MqttPacket.PUBACK);
            assertThat(puback.packetId()).isEqualTo(0x1234);
            assertThat(puback.flags()).isZero();

            client.send(publish("answers/t", 2, false, 0xfffe, "q2"));
            MqttPacket pubrec = client.expect(MqttPacket.PUBREC);
            assertThat(pubrec.packetId()).isEqualTo(0xfffe);
            client.send(MqttBytes.pubrel(0xfffe));
            MqttPacket pubcomp = client.expect(MqttPacket.PUBCOMP);
            assertThat(pubcomp.packetId()).isEqualTo(0xfffe);
        }
    }
}
