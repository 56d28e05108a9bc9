package io.junction.interop.mqtt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static io.junction.interop.mqtt.MqttBytes.connect;
import static io.junction.interop.mqtt.MqttBytes.subscribe;
import static io.junction.interop.mqtt.MqttBytes.u16;
import static io.junction.interop.mqtt.MqttBytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 3.1.1 sections 3.8 SUBSCRIBE and 3.9 SUBACK. */
@Timeout(30)
class Mqtt311Section3_8SubscribeTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final MqttBroker broker = MqttBroker.reconnectAtOnce();

    @Test
    @DisplayName("[MQTT-3.8.1-1] SUBSCRIBE with fixed-header flags other than 0010 closes the connection")
    void wrongFlagsCloseTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("sub-flags"))) {
            client.sendQuietly(MqttBytes.packet(0x80, MqttBytes.concat(u16(1), utf8("a/b"), new byte[] {0})));
            assertThat(client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)).as("no SUBACK").isEmpty();
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    @DisplayName("[MQTT-3.8.3-3] SUBSCRIBE without any topic filter closes the connection")
    void emptySubscribeClosesTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("sub-empty"))) {
            client.sendQuietly(MqttBytes.packet(0x82, u16(1)));
            assertThat(client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)).as("no SUBACK").isEmpty();
        }
        BrokerChecks.assertStillServing(broker);
    }

    @ParameterizedTest(name = "requested QoS byte {0}")
    @ValueSource(ints = {3, 0x04, 0x81})
    @DisplayName("[MQTT-3.8.3-4] reserved bits or QoS 3 in the requested QoS byte close the connection")
    void reservedQosBitsCloseTheConnection(int qosByte) throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("sub-reserved"))) {
            client.sendQuietly(subscribe(1, "a/b", qosByte));
            assertThat(client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)).as("no SUBACK").isEmpty();
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    @DisplayName("[MQTT-3.8.4-1] [MQTT-3.8.4-2] [MQTT-3.8.4-5] one SUBACK with the packet identifier and a code per filter, in order")
    void subackHasACodePerFilter() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("sub-many"))) {
            client.send(subscribe(0xbeef, "many/a", 2, "many/+", 0, "many/#", 1));
            MqttPacket suback = client.expect(MqttPacket.SUBACK);
            assertThat(suback.flags()).isZero();
            assertThat(suback.packetId()).isEqualTo(0xbeef);
            assertThat(suback.grantedQos()).containsExactly(2, 0, 1);
        }
    }

    @ParameterizedTest(name = "filter {0}")
    @ValueSource(strings = {"a/#/b", "a/b#", "a+/b", "a/+b", "##"})
    @DisplayName("[MQTT-4.7.1-2] [MQTT-4.7.1-3] an invalid filter is refused: SUBACK 0x80 or the connection closed")
    void invalidFilterIsRefused(String filter) throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("sub-invalid"))) {
            client.sendQuietly(subscribe(3, filter, 1));
            MqttPacket answer = null;
            try {
                answer = client.read();
            } catch (java.io.EOFException | java.net.SocketException closed) {
                // closing the connection is a valid answer to a protocol violation
            }
            if (answer != null) {
                assertThat(answer.type()).isEqualTo(MqttPacket.SUBACK);
                assertThat(answer.grantedQos()).containsExactly(0x80);
            }
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    @DisplayName("[MQTT-3.8.4-3] a SUBSCRIBE with an existing filter replaces the subscription and re-sends retained messages")
    void resubscribingReplacesTheSubscription() throws Exception {
        try (PahoClient publisher = PahoClient.connect(broker, "resub-pub");
             PahoClient subscriber = PahoClient.connect(broker, "resub-sub")) {
            publisher.publish("resub/t", "retained", 2, true);
            subscriber.subscribe("resub/t", 0);
            PahoClient.Received first = subscriber.await();
            assertThat(first.qos()).isZero();
            assertThat(first.retained()).isTrue();

            assertThat(subscriber.subscribe("resub/t", 2)).isEqualTo(2);
            PahoClient.Received again = subscriber.await();
            assertThat(again.retained()).as("retained message re-sent").isTrue();
            assertThat(again.qos()).isEqualTo(2);

            publisher.publish("resub/t", "live", 2, false);
            PahoClient.Received live = subscriber.await();
            assertThat(live.text()).isEqualTo("live");
            assertThat(live.qos()).as("the new subscription's QoS").isEqualTo(2);
            subscriber.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.4-4] a SUBSCRIBE with several filters is handled like one SUBSCRIBE per filter")
    void severalFiltersActLikeSeveralSubscribes() throws Exception {
        try (PahoClient subscriber = PahoClient.connect(broker, "multi-sub");
             PahoClient publisher = PahoClient.connect(broker, "multi-pub")) {
            subscriber.client().subscribe(new String[] {"multi/a", "multi/b"}, new int[] {1, 1});
            publisher.publish("multi/a", "a", 1, false);
            publisher.publish("multi/b", "b", 1, false);
            publisher.publish("multi/c", "c", 1, false);
            List<PahoClient.Received> received = subscriber.await(2);
            assertThat(received).extracting(PahoClient.Received::text).containsExactly("a", "b");
            subscriber.assertNoMessage(QUIET);
        }
    }
}
