package io.junction.interop.mqtt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code $SYS/broker/...} topics (Mosquitto's convention, not in the specification): retained,
 * QoS 0, republished every {@code sysInterval}.
 */
@Timeout(30)
class MqttSysTopicsTest {

    private static final List<String> TOPICS = List.of(
            "$SYS/broker/version",
            "$SYS/broker/uptime",
            "$SYS/broker/clients/connected",
            "$SYS/broker/clients/total",
            "$SYS/broker/messages/received",
            "$SYS/broker/messages/sent",
            "$SYS/broker/load/messages/received/1min",
            "$SYS/broker/load/messages/sent/1min",
            "$SYS/broker/subscriptions/count",
            "$SYS/broker/retained messages/count");

    @RegisterExtension
    final MqttBroker broker = MqttBroker.withSettings("sys_interval 1", "sysInterval: 1s");

    @Test
    @DisplayName("every $SYS/broker topic arrives, retained the first time, at QoS 0, with a plausible value")
    void everySysTopicIsPublished() throws Exception {
        try (PahoClient watcher = PahoClient.connect(broker, "sys-watcher")) {
            // give the broker a tick to publish its first round, so that subscribing finds retained values
            watcher.subscribe("$SYS/broker/uptime", 0);
            watcher.await(Duration.ofSeconds(3));
            watcher.unsubscribe("$SYS/broker/uptime");
            watcher.drain();

            watcher.subscribe("$SYS/#", 2);
            Map<String, PahoClient.Received> first = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!first.keySet().containsAll(TOPICS) && System.nanoTime() < deadline) {
                PahoClient.Received message = watcher.await(Duration.ofSeconds(3));
                first.putIfAbsent(message.topic(), message);
            }
            assertThat(first.keySet()).containsAll(TOPICS);
            for (String topic : TOPICS) {
                PahoClient.Received message = first.get(topic);
                assertThat(message.retained()).as(topic + " retained on subscribe").isTrue();
                if (!MqttBroker.isMosquitto()) {
                    // Junction's design: $SYS messages are QoS 0 (Mosquitto keeps them at QoS 2)
                    assertThat(message.qos()).as(topic + " QoS").isZero();
                }
            }
            assertThat(first.get("$SYS/broker/version").text()).isNotBlank();
            assertThat(first.get("$SYS/broker/uptime").text()).matches("\\d+ seconds");
            assertThat(Long.parseLong(first.get("$SYS/broker/clients/total").text())).isGreaterThanOrEqualTo(0);
            // the retained value may be from a tick before this client connected: wait for a current one
            long connected = Long.parseLong(first.get("$SYS/broker/clients/connected").text());
            while (connected < 1) {
                PahoClient.Received message = watcher.await(Duration.ofSeconds(3));
                if (message.topic().equals("$SYS/broker/clients/connected")) {
                    connected = Long.parseLong(message.text());
                }
            }
            for (String counter : List.of("$SYS/broker/messages/received", "$SYS/broker/messages/sent",
                    "$SYS/broker/subscriptions/count", "$SYS/broker/retained messages/count")) {
                assertThat(Long.parseLong(first.get(counter).text())).as(counter).isGreaterThanOrEqualTo(0);
            }
            for (String load : List.of("$SYS/broker/load/messages/received/1min", "$SYS/broker/load/messages/sent/1min")) {
                assertThat(Double.parseDouble(first.get(load).text())).as(load).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    @DisplayName("$SYS counters follow what happens: connected clients and received messages")
    void countersFollowTheTraffic() throws Exception {
        try (PahoClient watcher = PahoClient.connect(broker, "sys-counter")) {
            watcher.subscribe("$SYS/broker/clients/connected", 0);
            watcher.subscribe("$SYS/broker/messages/received", 0);
            long receivedBefore = latest(watcher, "$SYS/broker/messages/received");
            try (PahoClient a = PahoClient.connect(broker, "sys-a");
                 PahoClient b = PahoClient.connect(broker, "sys-b")) {
                for (int i = 0; i < 10; i++) {
                    a.publish("sys/traffic", "m" + i, 1, false);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                long connected = 0;
                long received = 0;
                while ((connected < 3 || received < receivedBefore + 10) && System.nanoTime() < deadline) {
                    PahoClient.Received message = watcher.await(Duration.ofSeconds(3));
                    long value = Long.parseLong(message.text());
                    if (message.topic().endsWith("connected")) {
                        connected = value;
                    } else {
                        received = value;
                    }
                }
                assertThat(connected).as("clients/connected with three clients").isGreaterThanOrEqualTo(3);
                assertThat(received).as("messages/received after ten publishes").isGreaterThanOrEqualTo(receivedBefore + 10);
            }
        }
    }

    @Test
    @DisplayName("a client cannot publish into $SYS/broker (the server SHOULD keep $ topics to itself)")
    void clientsCannotOverwriteSysTopics() throws Exception {
        try (PahoClient watcher = PahoClient.connect(broker, "sys-guard");
             PahoClient forger = PahoClient.connect(broker, "sys-forger")) {
            watcher.subscribe("$SYS/broker/version", 0);
            String real = watcher.await(Duration.ofSeconds(3)).text();
            try {
                forger.publish("$SYS/broker/version", "forged", 1, true);
            } catch (org.eclipse.paho.client.mqttv3.MqttException refused) {
                // refusing by closing the connection is fine too
            }
            try (PahoClient late = PahoClient.connect(broker, "sys-late")) {
                late.subscribe("$SYS/broker/version", 0);
                assertThat(late.await(Duration.ofSeconds(3)).text()).isEqualTo(real);
            }
            assertThat(watcher.drain()).extracting(PahoClient.Received::text).doesNotContain("forged");
        }
    }

    private static long latest(PahoClient watcher, String topic) throws InterruptedException {
        while (true) {
            PahoClient.Received message = watcher.await(Duration.ofSeconds(3));
            if (message.topic().equals(topic)) {
                return Long.parseLong(message.text());
            }
        }
    }
}
