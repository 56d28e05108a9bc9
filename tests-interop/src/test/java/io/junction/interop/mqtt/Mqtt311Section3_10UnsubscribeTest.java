package io.junction.interop.mqtt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static io.junction.interop.mqtt.MqttBytes.connect;
import static io.junction.interop.mqtt.MqttBytes.u16;
import static io.junction.interop.mqtt.MqttBytes.unsubscribe;
import static io.junction.interop.mqtt.MqttBytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 3.1.1 sections 3.10 UNSUBSCRIBE and 3.11 UNSUBACK. */
@Timeout(30)
class Mqtt311Section3_10UnsubscribeTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final MqttBroker broker = MqttBroker.reconnectAtOnce();

    @Test
    @DisplayName("[MQTT-3.10.1-1] UNSUBSCRIBE with fixed-header flags other than 0010 closes the connection")
    void wrongFlagsCloseTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("unsub-flags"))) {
            client.sendQuietly(MqttBytes.packet(0xa0, MqttBytes.concat(u16(1), utf8("a/b"))));
            assertThat(client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)).as("no UNSUBACK").isEmpty();
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    @DisplayName("[MQTT-3.10.3-2] UNSUBSCRIBE without any topic filter closes the connection")
    void emptyUnsubscribeClosesTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("unsub-empty"))) {
            client.sendQuietly(MqttBytes.packet(0xa2, u16(1)));
            assertThat(client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)).as("no UNSUBACK").isEmpty();
        }
    }

    @Test
    @DisplayName("[MQTT-3.10.4-4] [MQTT-3.10.4-5] UNSUBACK with the packet identifier, also when nothing matched")
    void unsubackEvenWithoutAMatch() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("unsub-nomatch"))) {
            client.send(unsubscribe(0x0102, "never/subscribed", "nor/this"));
            MqttPacket unsuback = client.expect(MqttPacket.UNSUBACK);
            assertThat(unsuback.flags()).isZero();
            assertThat(unsuback.body()).containsExactly(1, 2);
        }
    }

    @Test
    @DisplayName("[MQTT-3.10.4-2] after UNSUBACK no new messages are delivered for the filter")
    void noMessagesAfterUnsubscribe() throws Exception {
        try (PahoClient subscriber = PahoClient.connect(broker, "unsub-sub");
             PahoClient publisher = PahoClient.connect(broker, "unsub-pub")) {
            subscriber.subscribe("unsub/+", 1);
            publisher.publish("unsub/a", "before", 1, false);
            assertThat(subscriber.await().text()).isEqualTo("before");
            subscriber.unsubscribe("unsub/+");
            publisher.publish("unsub/a", "after", 1, false);
            subscriber.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-3.10.4-1] filters are compared character by character: unsubscribing a/+ leaves a/b")
    void unsubscribeComparesFiltersLiterally() throws Exception {
        try (PahoClient subscriber = PahoClient.connect(broker, "literal-sub");
             PahoClient publisher = PahoClient.connect(broker, "literal-pub")) {
            subscriber.subscribe("literal/b", 1);
            subscriber.unsubscribe("literal/+");
            publisher.publish("literal/b", "still subscribed", 1, false);
            assertThat(subscriber.await().text()).isEqualTo("still subscribed");
        }
    }

    @Test
    @DisplayName("[MQTT-3.10.4-1] an unsubscribed persistent session queues nothing for the filter while away")
    void unsubscribedPersistentSessionQueuesNothing() throws Exception {
        try (PahoClient subscriber = PahoClient.connect(broker.uri(), "unsub-persist", PahoClient.options(false))) {
            subscriber.subscribe("unsub-persist/t", 1);
            subscriber.unsubscribe("unsub-persist/t");
        }
        try (PahoClient publisher = PahoClient.connect(broker, "unsub-persist-pub")) {
            publisher.publish("unsub-persist/t", "while away", 1, false);
        }
        try (PahoClient resumed = PahoClient.connect(broker.uri(), "unsub-persist", PahoClient.options(false))) {
            resumed.assertNoMessage(QUIET);
        }
    }
}
