package io.junction.interop.mqtt.v5;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 section 3.8.3.1 Subscription Options: no-local, retain-as-published, retain-handling. */
@Timeout(30)
class Mqtt5SubscriptionOptionsTest {

    private static final int NO_LOCAL = 0x04;
    private static final int RETAIN_AS_PUBLISHED = 0x08;

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    private void retain(String topic, String payload) throws Exception {
        try (PahoV5 publisher = PahoV5.connected(broker.uri(), "retainer-" + System.nanoTime())) {
            publisher.publish(topic, payload, 1, true);
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.3-3] no-local: a client's own publishes are not sent back to it")
    void noLocal() throws Exception {
        try (PahoV5 client = PahoV5.connected(broker.uri(), "nolocal");
             PahoV5 other = PahoV5.connected(broker.uri(), "nolocal-other")) {
            MqttSubscription subscription = new MqttSubscription("opt/nl", 1);
            subscription.setNoLocal(true);
            client.client.subscribe(new MqttSubscription[] {subscription});
            client.publish("opt/nl", "mine", 1, false);
            other.publish("opt/nl", "theirs", 1, false);
            assertThat(client.next().text()).isEqualTo("theirs");
            client.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-9] retain-handling 0: retained messages on every subscribe (HiveMQ)")
    void retainHandlingSend() throws Exception {
        retain("opt/rh0", "state");
        Mqtt5BlockingClient client = Hive.client(broker, "rh0");
        try {
            client.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
                for (int i = 0; i < 2; i++) {
                    client.subscribeWith().topicFilter("opt/rh0").qos(MqttQos.AT_LEAST_ONCE)
                            .retainHandling(Mqtt5RetainHandling.SEND).send();
                    Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                    assertThat(p).as("subscribe #%d", i + 1).isPresent();
                    assertThat(p.get().isRetain()).isTrue();
                    assertThat(new String(p.get().getPayloadAsBytes())).isEqualTo("state");
                }
            }
        } finally {
            Hive.close(client);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-10] retain-handling 1: retained messages only when the subscription is new (HiveMQ)")
    void retainHandlingSendIfNew() throws Exception {
        retain("opt/rh1", "state");
        Mqtt5BlockingClient client = Hive.client(broker, "rh1");
        try {
            client.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
                client.subscribeWith().topicFilter("opt/rh1").qos(MqttQos.AT_LEAST_ONCE)
                        .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
                Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                assertThat(p).isPresent();
                assertThat(p.get().isRetain()).isTrue();
                client.subscribeWith().topicFilter("opt/rh1").qos(MqttQos.AT_LEAST_ONCE)
                        .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
                assertThat(publishes.receive(400, TimeUnit.MILLISECONDS)).as("existing subscription").isEmpty();
            }
        } finally {
            Hive.close(client);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-11] retain-handling 2: no retained messages at subscribe (HiveMQ)")
    void retainHandlingDoNotSend() throws Exception {
        retain("opt/rh2", "state");
        Mqtt5BlockingClient client = Hive.client(broker, "rh2");
        try {
            client.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
                client.subscribeWith().topicFilter("opt/rh2").qos(MqttQos.AT_LEAST_ONCE)
                        .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
                assertThat(publishes.receive(400, TimeUnit.MILLISECONDS)).isEmpty();
                // but new messages still arrive
                retain("opt/rh2", "next");
                Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                assertThat(p).isPresent();
                assertThat(new String(p.get().getPayloadAsBytes())).isEqualTo("next");
            }
        } finally {
            Hive.close(client);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-12] [MQTT-3.3.1-13] retain-as-published: RETAIN kept with 1, cleared with 0 on "
            + "live forwarding; always 1 on the retained copy sent at subscribe")
    void retainAsPublished() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "rap", Props.of())) {
            client.send(subscribe(1, null, "opt/rap/kept", 1 | RETAIN_AS_PUBLISHED)).expect(Packet.SUBACK);
            client.send(subscribe(2, null, "opt/rap/cleared", 1)).expect(Packet.SUBACK);
            retain("opt/rap/kept", "k");
            retain("opt/rap/cleared", "c");
            Packet first = client.expect(Packet.PUBLISH);
            client.send(RawMqtt5Client.ack(Packet.PUBACK, first.packetId));
            Packet second = client.expect(Packet.PUBLISH);
            client.send(RawMqtt5Client.ack(Packet.PUBACK, second.packetId));
            assertThat(first.topic).isEqualTo("opt/rap/kept");
            assertThat(first.retain()).as("[MQTT-3.3.1-13]").isTrue();
            assertThat(second.topic).isEqualTo("opt/rap/cleared");
            assertThat(second.retain()).as("[MQTT-3.3.1-12]").isFalse();

            client.send(subscribe(3, null, "opt/rap/+", 1)).expect(Packet.SUBACK);
            for (int i = 0; i < 2; i++) {
                Packet retained = client.expect(Packet.PUBLISH);
                client.send(RawMqtt5Client.ack(Packet.PUBACK, retained.packetId));
                assertThat(retained.retain()).as("[MQTT-3.3.1-9] retained copy at subscribe: %s", retained).isTrue();
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-6] [MQTT-3.3.1-7] an empty retained publish clears the retained message")
    void emptyRetainedClears() throws Exception {
        retain("opt/clear", "state");
        try (PahoV5 publisher = PahoV5.connected(broker.uri(), "clearer")) {
            publisher.client.publish("opt/clear", new byte[0], 1, true);
        }
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "after-clear", Props.of())) {
            client.send(subscribe(1, null, "opt/#", 1)).expect(Packet.SUBACK);
            client.expectNothing(Duration.ofMillis(400));
        }
    }
}
