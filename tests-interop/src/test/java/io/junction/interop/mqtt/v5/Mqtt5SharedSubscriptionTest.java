package io.junction.interop.mqtt.v5;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 section 4.8.2 Shared Subscriptions ({@code $share/<group>/<filter>}). */
@Timeout(30)
class Mqtt5SharedSubscriptionTest {

    private static final int N = 20;

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    private static List<String> expected() {
        return IntStream.range(0, N).mapToObj(i -> "m" + i).toList();
    }

    private void publishAll(String topic) throws Exception {
        try (PahoV5 publisher = PahoV5.connected(broker.uri(), "share-pub")) {
            for (int i = 0; i < N; i++) {
                publisher.publish(topic, "m" + i, 1, false);
            }
        }
    }

    @Test
    @DisplayName("[4.8.2] each message of a shared subscription goes to exactly one member, and the members "
            + "share the load")
    void loadBalancedAcrossGroup() throws Exception {
        try (PahoV5 a = PahoV5.connected(broker.uri(), "share-a");
             PahoV5 b = PahoV5.connected(broker.uri(), "share-b")) {
            a.client.subscribe("$share/workers/share/t", 1);
            b.client.subscribe("$share/workers/share/t", 1);
            publishAll("share/t");
            List<String> fromA = new ArrayList<>();
            List<String> fromB = new ArrayList<>();
            long deadline = System.nanoTime() + PahoV5.TIMEOUT.toNanos();
            while (fromA.size() + fromB.size() < N && System.nanoTime() < deadline) {
                a.drain().forEach(r -> fromA.add(r.text()));
                b.drain().forEach(r -> fromB.add(r.text()));
                Thread.sleep(20);
            }
            a.expectNothing(Duration.ofMillis(200));
            b.expectNothing(Duration.ofMillis(100));
            List<String> all = new ArrayList<>(fromA);
            all.addAll(fromB);
            assertThat(all).as("a=%s b=%s", fromA, fromB).containsExactlyInAnyOrderElementsOf(expected());
            assertThat(fromA).as("member a got some").isNotEmpty();
            assertThat(fromB).as("member b got some").isNotEmpty();
        }
    }

    @Test
    @DisplayName("[4.8.2] a shared group, another group and a plain subscriber each get every message once")
    void groupsAreIndependent() throws Exception {
        try (PahoV5 g1 = PahoV5.connected(broker.uri(), "g1");
             PahoV5 g2 = PahoV5.connected(broker.uri(), "g2");
             PahoV5 plain = PahoV5.connected(broker.uri(), "plain")) {
            g1.client.subscribe("$share/one/share/multi/#", 1);
            g2.client.subscribe("$share/two/share/multi/+", 1);
            plain.client.subscribe("share/multi/x", 1);
            publishAll("share/multi/x");
            for (PahoV5 member : List.of(g1, g2, plain)) {
                assertThat(member.next(N)).extracting(PahoV5.Received::text)
                        .containsExactlyInAnyOrderElementsOf(expected());
                assertThat(member.drain()).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("[4.8.2] deliveries name the topic, not the shared filter; the granted QoS is respected "
            + "[MQTT-4.8.2-3]")
    void topicAndQos() throws Exception {
        try (RawMqtt5Client member = RawMqtt5Client.connected(broker.port(), "share-raw", Props.of())) {
            Packet suback = member.send(subscribe(1, null, "$share/g/share/q/+", 0)).expect(Packet.SUBACK);
            assertThat(suback.reasonCodes).containsExactly(0);
            try (PahoV5 publisher = PahoV5.connected(broker.uri(), "share-q-pub")) {
                publisher.publish("share/q/1", "x", 2, false);
            }
            Packet publish = member.expect(Packet.PUBLISH);
            assertThat(publish.topic).isEqualTo("share/q/1");
            assertThat(publish.qos()).isZero();
        }
    }

    @Test
    @DisplayName("[4.8.2] retained messages are not sent when a shared subscription is made")
    void noRetainedForShared() throws Exception {
        broker.assumeJunction("Mosquitto 2.0.11 sends retained messages to a new shared subscription");
        try (PahoV5 publisher = PahoV5.connected(broker.uri(), "share-ret-pub")) {
            publisher.publish("share/ret", "state", 1, true);
        }
        try (RawMqtt5Client member = RawMqtt5Client.connected(broker.port(), "share-ret", Props.of())) {
            member.send(subscribe(1, null, "$share/g/share/ret", 1)).expect(Packet.SUBACK);
            member.expectNothing(Duration.ofMillis(400));
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.3-4] no-local on a shared subscription is a protocol error: DISCONNECT 0x82")
    void noLocalOnShared() throws Exception {
        broker.assumeJunction("Mosquitto 2.0.11 grants it");
        try (RawMqtt5Client member = RawMqtt5Client.connected(broker.port(), "share-nl", Props.of())) {
            member.send(subscribe(1, null, new String[] {"$share/g/share/nl", "share/ok"}, new int[] {1 | 0x04, 1}));
            broker.expectDisconnect(member, 0x82);
        }
    }

    @Test
    @DisplayName("[MQTT-4.8.2-1] [MQTT-4.8.2-2] a share name with a wildcard or no filter is refused")
    void invalidShareNames() throws Exception {
        try (RawMqtt5Client member = RawMqtt5Client.connected(broker.port(), "share-bad", Props.of())) {
            member.send(subscribe(1, null, new String[] {"$share/g+/t", "$share/g"}, new int[] {1, 1}));
            if (broker.isJunction()) {
                Packet suback = member.expect(Packet.SUBACK);
                assertThat(suback.reasonCodes).containsExactly(0x8F, 0x8F);
            } else {
                // Mosquitto treats the filter as malformed
                broker.expectDisconnect(member, 0x81);
            }
        }
    }
}
