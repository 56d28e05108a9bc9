package io.junction.interop.mqtt.v5;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.publish;
import static io.junction.interop.mqtt.v5.RawMqtt5Client.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 section 3.3.2.3.4 Topic Alias, with 3.1.2.11.5 and 3.2.2.3.8 Topic Alias Maximum. */
@Timeout(30)
class Mqtt5TopicAliasTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker("topicAliasMaximum: 2", "max_topic_alias 2");

    @Test
    @DisplayName("[MQTT-3.3.2-12] the server accepts aliases up to its topic-alias-maximum")
    void serverAcceptsAliases() throws Exception {
        try (PahoV5 subscriber = PahoV5.connected(broker.uri(), "alias-sub");
             RawMqtt5Client publisher = RawMqtt5Client.connected(broker.port(), "alias-pub", Props.of())) {
            subscriber.client.subscribe("alias/#", 1);
            publisher.send(publish("alias/a", 1, false, 1, Props.of().add(Props.TOPIC_ALIAS, 1), "a1"))
                    .expect(Packet.PUBACK);
            publisher.send(publish("alias/b", 1, false, 2, Props.of().add(Props.TOPIC_ALIAS, 2), "b1"))
                    .expect(Packet.PUBACK);
            publisher.send(publish("", 1, false, 3, Props.of().add(Props.TOPIC_ALIAS, 1), "a2"))
                    .expect(Packet.PUBACK);
            publisher.send(publish("", 1, false, 4, Props.of().add(Props.TOPIC_ALIAS, 2), "b2"))
                    .expect(Packet.PUBACK);
            // an alias may be redefined to another topic
            publisher.send(publish("alias/c", 1, false, 5, Props.of().add(Props.TOPIC_ALIAS, 1), "c1"))
                    .expect(Packet.PUBACK);
            publisher.send(publish("", 1, false, 6, Props.of().add(Props.TOPIC_ALIAS, 1), "c2"))
                    .expect(Packet.PUBACK);
            assertThat(subscriber.next(6)).extracting(r -> r.topic() + ":" + r.text())
                    .containsExactly("alias/a:a1", "alias/b:b1", "alias/a:a2", "alias/b:b2", "alias/c:c1",
                            "alias/c:c2");
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-9] [MQTT-3.3.2-12] HiveMQ uses topic aliases towards the server; every message "
            + "arrives on its topic")
    void hiveMqSendsAliases() throws Exception {
        Mqtt5BlockingClient publisher = Hive.builder(broker, "hive-alias-pub").buildBlocking();
        Mqtt5BlockingClient subscriber = Hive.client(broker, "hive-alias-sub");
        try {
            publisher.connectWith().restrictions().sendTopicAliasMaximum(2).applyRestrictions().send();
            subscriber.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                subscriber.subscribeWith().topicFilter("alias/hive/#").qos(MqttQos.AT_LEAST_ONCE).send();
                List<String> sent = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (String t : List.of("alias/hive/one", "alias/hive/two", "alias/hive/three")) {
                        publisher.publishWith().topic(t).qos(MqttQos.AT_LEAST_ONCE)
                                .payload((t + round).getBytes()).send();
                        sent.add(t + ":" + t + round);
                    }
                }
                List<String> received = new ArrayList<>();
                for (int i = 0; i < sent.size(); i++) {
                    Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                    assertThat(p).as("message %d", i).isPresent();
                    received.add(p.get().getTopic() + ":" + new String(p.get().getPayloadAsBytes()));
                }
                assertThat(received).containsExactlyElementsOf(sent);
            }
        } finally {
            Hive.close(publisher);
            Hive.close(subscriber);
        }
    }

    @Test
    @DisplayName("[3.3.2.3.4] an alias above the server's topic-alias-maximum: DISCONNECT 0x94")
    void aliasAboveMaximum() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "alias-high", Props.of())) {
            client.send(publish("alias/x", 0, false, 0, Props.of().add(Props.TOPIC_ALIAS, 3), "x"));
            broker.expectDisconnect(client, 0x94);
        }
        assertServing();
    }

    @Test
    @DisplayName("[MQTT-3.3.2-8] [3.3.2.3.4] topic alias 0 closes the connection (DISCONNECT 0x94, 0x82 or 0x81)")
    void aliasZero() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "alias-zero", Props.of())) {
            client.send(publish("alias/x", 0, false, 0, Props.of().add(Props.TOPIC_ALIAS, 0), "x"));
            // the specification names no code for alias 0: topic alias invalid, protocol error or malformed
            broker.expectDisconnect(client, 0x94, 0x82, 0x81);
        }
        assertServing();
    }

    @Test
    @DisplayName("[3.3.4] an empty topic name with an alias never defined is a protocol error: DISCONNECT 0x82")
    void unknownAlias() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "alias-unknown", Props.of())) {
            client.send(publish("", 1, false, 1, Props.of().add(Props.TOPIC_ALIAS, 1), "x"));
            broker.expectDisconnect(client, 0x82);
        }
        assertServing();
    }

    @Test
    @DisplayName("[MQTT-3.3.2-7] alias mappings do not carry over to a new network connection")
    void aliasesEndWithTheConnection() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "alias-conn", Props.of())) {
            client.send(publish("alias/kept", 1, false, 1, Props.of().add(Props.TOPIC_ALIAS, 1), "x"))
                    .expect(Packet.PUBACK);
            client.send(RawMqtt5Client.disconnect(0, null));
            client.awaitClosed();
        }
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "alias-conn", Props.of())) {
            client.send(publish("", 1, false, 2, Props.of().add(Props.TOPIC_ALIAS, 1), "y"));
            broker.expectDisconnect(client, 0x82);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-27] a client that announced no topic-alias-maximum gets no aliases")
    void noAliasesToClientWithoutMaximum() throws Exception {
        try (RawMqtt5Client subscriber = RawMqtt5Client.connected(broker.port(), "alias-none", Props.of());
             PahoV5 publisher = PahoV5.connected(broker.uri(), "alias-none-pub")) {
            subscriber.send(subscribe(1, null, "alias/none/#", 0)).expect(Packet.SUBACK);
            for (int i = 0; i < 6; i++) {
                publisher.publish("alias/none/" + (i % 2), "m" + i, 0, false);
            }
            for (int i = 0; i < 6; i++) {
                Packet p = subscriber.expect(Packet.PUBLISH);
                assertThat(p.props.has(Props.TOPIC_ALIAS)).as("%s", p).isFalse();
                assertThat(p.topic).isEqualTo("alias/none/" + (i % 2));
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-26] [MQTT-3.3.2-11] the server's aliases stay within the client's "
            + "topic-alias-maximum and resolve to the right topics")
    void serverAliasesWithinClientMaximum() throws Exception {
        try (RawMqtt5Client subscriber = RawMqtt5Client.connected(broker.port(), "alias-client",
                Props.of().add(Props.TOPIC_ALIAS_MAXIMUM, 2));
             PahoV5 publisher = PahoV5.connected(broker.uri(), "alias-client-pub")) {
            subscriber.send(subscribe(1, null, "alias/srv/#", 0)).expect(Packet.SUBACK);
            List<String> topics = List.of("alias/srv/a", "alias/srv/b", "alias/srv/c");
            for (int i = 0; i < 12; i++) {
                publisher.publish(topics.get(i % 3), "m" + i, 0, false);
            }
            Map<Long, String> aliases = new HashMap<>();
            int aliased = 0;
            for (int i = 0; i < 12; i++) {
                Packet p = subscriber.expect(Packet.PUBLISH);
                Long alias = p.props.number(Props.TOPIC_ALIAS);
                String topic = p.topic;
                if (alias != null) {
                    assertThat(alias).as("[MQTT-3.3.2-11] %s", p).isBetween(1L, 2L);
                    if (topic.isEmpty()) {
                        aliased++;
                        topic = aliases.get(alias);
                        assertThat(topic).as("alias %d used before it was defined", alias).isNotNull();
                    } else {
                        aliases.put(alias, topic);
                    }
                }
                assertThat(topic + ":" + p.payloadText()).isEqualTo(topics.get(i % 3) + ":m" + i);
            }
            if (broker.isJunction()) {
                assertThat(aliased).as("Junction's design uses aliases towards such a client").isPositive();
            }
        }
    }

    /*
     * Not with Paho: Paho mqttv5 1.2.5 takes the empty topic name of an aliased PUBLISH ("", not
     * null) for a new mapping, so it hands the application an empty topic (ClientState.notifyReceivedMsg).
     */
    @Test
    @DisplayName("[MQTT-3.3.2-10] HiveMQ with topic-alias-maximum 2 resolves the server's aliases")
    void hiveMqResolvesServerAliases() throws Exception {
        Mqtt5BlockingClient subscriber = Hive.client(broker, "alias-hive-sub");
        try (PahoV5 publisher = PahoV5.connected(broker.uri(), "alias-hive-pub2")) {
            subscriber.connectWith().restrictions().topicAliasMaximum(2).applyRestrictions().send();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                subscriber.subscribeWith().topicFilter("alias/recv/#").qos(MqttQos.AT_LEAST_ONCE).send();
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 9; i++) {
                    String topic = "alias/recv/" + (i % 3);
                    publisher.publish(topic, "m" + i, 1, false);
                    sent.add(topic + ":m" + i);
                }
                List<String> received = new ArrayList<>();
                for (int i = 0; i < sent.size(); i++) {
                    Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                    assertThat(p).as("message %d", i).isPresent();
                    received.add(p.get().getTopic() + ":" + new String(p.get().getPayloadAsBytes()));
                }
                assertThat(received).containsExactlyElementsOf(sent);
            }
        } finally {
            Hive.close(subscriber);
        }
    }

    private void assertServing() throws Exception {
        try (RawMqtt5Client again = RawMqtt5Client.connected(broker.port(), "still-serving", Props.of())) {
            again.send(RawMqtt5Client.pingreq()).expect(Packet.PINGRESP);
        }
    }
}
