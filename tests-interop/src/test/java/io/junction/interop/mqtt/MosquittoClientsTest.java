package io.junction.interop.mqtt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's mosquitto-clients 2.0.11 ({@code mosquitto_pub}, {@code mosquitto_sub}) against the
 * broker: MQTT 3.1, 3.1.1 and 5, every QoS, retained messages, message counts and timeouts, persistent
 * sessions and wills. Messages are printed with {@code -F "%r %q %t %p"}: retain flag, QoS, topic, payload.
 */
@Timeout(60)
class MosquittoClientsTest {

    private static final String FORMAT = "%r %q %t %p";

    @RegisterExtension
    final MqttBroker broker = MqttBroker.withSettings("sys_interval 1", "sysInterval: 1s");

    @ParameterizedTest(name = "{0}, QoS {1}")
    @CsvSource({"mqttv31,0", "mqttv31,2", "mqttv311,0", "mqttv311,1", "mqttv311,2", "mqttv5,0", "mqttv5,1", "mqttv5,2"})
    void publishAndSubscribe(String version, int qos) throws Exception {
        String topic = "cli/" + version + "/q" + qos;
        try (MosquittoCli sub = MosquittoCli.subscribed(broker, "-V", version, "-t", topic, "-q", "2",
                "-C", "1", "-W", "10", "-F", FORMAT)) {
            MosquittoCli.pub(broker, "-V", version, "-t", topic, "-q", String.valueOf(qos), "-m", "hello " + version);
            assertThat(sub.awaitMessageLine()).isEqualTo("0 " + qos + " " + topic + " hello " + version);
            assertThat(sub.awaitExit()).as("-C 1: exit after one message").isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mqttv311", "mqttv5"})
    void retainedMessageAndItsRemoval(String version) throws Exception {
        MosquittoCli.pub(broker, "-V", version, "-t", "cli/retained/a", "-q", "1", "-r", "-m", "kept");
        MosquittoCli.pub(broker, "-V", version, "-t", "cli/retained/b", "-q", "1", "-r", "-m", "to be removed");
        MosquittoCli.pub(broker, "-V", version, "-t", "cli/retained/b", "-q", "1", "-r", "-n");
        try (MosquittoCli sub = MosquittoCli.start(MosquittoCli.SUB, broker, "-V", version, "-t", "cli/retained/+",
                "-q", "1", "--retained-only", "-W", "3", "-F", FORMAT)) {
            // --retained-only ends at the first message without the retain flag, or at -W
            sub.awaitExit();
            assertThat(sub.remainingMessageLines()).containsExactly("1 1 cli/retained/a kept");
        }
    }

    @Test
    void countOfMessagesFromStandardInputLines() throws Exception {
        try (MosquittoCli sub = MosquittoCli.subscribed(broker, "-t", "cli/lines", "-q", "1", "-C", "3", "-W", "10")) {
            MosquittoCli pub = MosquittoCli.start(MosquittoCli.PUB, broker, "-t", "cli/lines", "-q", "1", "-l");
            try (pub) {
                pub.process().getOutputStream().write("first\nsecond\nthird\nfourth\n".getBytes());
                pub.process().getOutputStream().close();
                assertThat(pub.awaitExit()).isZero();
            }
            assertThat(sub.awaitExit()).isZero();
            assertThat(sub.remainingMessageLines()).containsExactly("first", "second", "third");
        }
    }

    @Test
    void subscriberTimesOutWithoutMessages() throws Exception {
        try (MosquittoCli sub = MosquittoCli.start(MosquittoCli.SUB, broker, "-t", "cli/silence", "-C", "1", "-W", "1")) {
            long start = System.nanoTime();
            int exit = sub.awaitExit();
            assertThat(exit).as("mosquitto_sub exits non-zero on -W timeout").isNotZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(sub.remainingMessageLines()).isEmpty();
        }
    }

    @Test
    void persistentSessionWithCleanSessionOff() throws Exception {
        // -c: clean session off, -i: the client id a persistent session needs
        try (MosquittoCli sub = MosquittoCli.subscribed(broker, "-c", "-i", "cli-persistent", "-t", "cli/persistent",
                "-q", "1", "-C", "1", "-W", "10")) {
            MosquittoCli.pub(broker, "-t", "cli/persistent", "-q", "1", "-m", "online");
            assertThat(sub.awaitMessageLine()).isEqualTo("online");
            assertThat(sub.awaitExit()).isZero();
        }
        MosquittoCli.pub(broker, "-t", "cli/persistent", "-q", "1", "-m", "while away");
        MosquittoCli.pub(broker, "-t", "cli/persistent", "-q", "0", "-m", "qos 0 while away");
        try (MosquittoCli sub = MosquittoCli.start(MosquittoCli.SUB, broker, "-c", "-i", "cli-persistent",
                "-t", "cli/persistent", "-q", "1", "-C", "1", "-W", "10")) {
            assertThat(sub.awaitExit()).isZero();
            assertThat(sub.remainingMessageLines()).containsExactly("while away");
        }
    }

    @Test
    void willOfAKilledSubscriberIsPublished() throws Exception {
        try (MosquittoCli watcher = MosquittoCli.subscribed(broker, "-t", "cli/will", "-q", "1", "-C", "1", "-W", "10");
             MosquittoCli device = MosquittoCli.subscribed(broker, "-t", "cli/device", "--will-topic", "cli/will",
                     "--will-payload", "device lost", "--will-qos", "1")) {
            device.process().destroyForcibly();
            assertThat(watcher.awaitMessageLine()).isEqualTo("device lost");
            assertThat(watcher.awaitExit()).isZero();
        }
    }

    @Test
    void sysTopicsWithMosquittoSub() throws Exception {
        try (MosquittoCli sub = MosquittoCli.start(MosquittoCli.SUB, broker, "-t", "$SYS/broker/uptime",
                "-t", "$SYS/broker/version", "-C", "2", "-W", "5", "-F", FORMAT)) {
            assertThat(sub.awaitExit()).isZero();
            List<String> lines = sub.remainingMessageLines();
            assertThat(lines).hasSize(2);
            assertThat(lines).anyMatch(l -> l.matches("[01] 0 \\$SYS/broker/uptime \\d+ seconds") || l.matches("[01] 2 \\$SYS/broker/uptime \\d+ seconds"));
            assertThat(lines).anyMatch(l -> l.startsWith("1 ") && l.contains("$SYS/broker/version "));
        }
    }

    @Test
    void mqtt5PublisherToMqtt311SubscriberAndBack() throws Exception {
        try (MosquittoCli v311 = MosquittoCli.subscribed(broker, "-V", "mqttv311", "-t", "cli/mixed/to311", "-q", "2",
                "-C", "1", "-W", "10", "-F", FORMAT);
             MosquittoCli v5 = MosquittoCli.subscribed(broker, "-V", "mqttv5", "-t", "cli/mixed/to5", "-q", "2",
                     "-C", "1", "-W", "10", "-F", FORMAT)) {
            MosquittoCli.pub(broker, "-V", "mqttv5", "-t", "cli/mixed/to311", "-q", "2", "-m", "from 5");
            MosquittoCli.pub(broker, "-V", "mqttv311", "-t", "cli/mixed/to5", "-q", "1", "-m", "from 3.1.1");
            assertThat(v311.awaitMessageLine()).isEqualTo("0 2 cli/mixed/to311 from 5");
            assertThat(v5.awaitMessageLine()).isEqualTo("0 1 cli/mixed/to5 from 3.1.1");
        }
    }

    @Test
    void pahoAndMosquittoClientsTalk() throws Exception {
        try (PahoClient paho = PahoClient.connect(broker, "cli-paho");
             MosquittoCli sub = MosquittoCli.subscribed(broker, "-t", "cli/from-paho", "-q", "1", "-C", "1", "-W", "10",
                     "-F", FORMAT)) {
            paho.subscribe("cli/from-mosquitto", 1);
            MosquittoCli.pub(broker, "-t", "cli/from-mosquitto", "-q", "1", "-m", "hi paho");
            assertThat(paho.await().text()).isEqualTo("hi paho");
            paho.publish("cli/from-paho", "hi mosquitto_sub", 1, false);
            assertThat(sub.awaitMessageLine()).isEqualTo("0 1 cli/from-paho hi mosquitto_sub");
        }
    }
}
