package io.junction.interop.mqtt.v5;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAck;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAckReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.ack;
import static io.junction.interop.mqtt.v5.RawMqtt5Client.publish;
import static io.junction.interop.mqtt.v5.RawMqtt5Client.subscribe;
import static io.junction.interop.mqtt.v5.RawMqtt5Client.unsubscribe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5.0 sections 3.4 to 3.11: every acknowledgement carries a reason code from its own table,
 * with the request's packet identifier; reason strings follow request-problem-information (3.1.2.11.7).
 */
@Timeout(30)
class Mqtt5ReasonCodeTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    @Test
    @DisplayName("[MQTT-3.4.2-1] PUBACK carries the packet id and a PUBACK reason code (0x00 or 0x10)")
    void puback() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "puback", Props.of())) {
            Packet puback = client.send(publish("rc/none", 1, false, 17, Props.of(), "x")).expect(Packet.PUBACK);
            assertThat(puback.packetId).isEqualTo(17);
            assertThat(puback.reasonCode).as("no subscriber: success or no-matching-subscribers")
                    .isIn(0x00, 0x10);

            client.send(subscribe(1, null, "rc/some", 1)).expect(Packet.SUBACK);
            puback = client.send(publish("rc/some", 1, false, 18, Props.of(), "y")).next(Packet.PUBACK);
            assertThat(puback.packetId).isEqualTo(18);
            assertThat(puback.reasonCode).as("a matching subscriber: success").isEqualTo(0x00);
        }
    }

    @Test
    @DisplayName("[MQTT-3.5.2-1] [MQTT-3.7.2-1] QoS 2: PUBREC then PUBCOMP with success codes and the same id")
    void qos2Handshake() throws Exception {
        try (RawMqtt5Client subscriber = RawMqtt5Client.connected(broker.port(), "qos2-sub", Props.of());
             RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "qos2", Props.of())) {
            subscriber.send(subscribe(1, null, "rc/qos2", 2)).expect(Packet.SUBACK);
            Packet pubrec = client.send(publish("rc/qos2", 2, false, 33, Props.of(), "z")).expect(Packet.PUBREC);
            assertThat(pubrec.packetId).isEqualTo(33);
            assertThat(pubrec.reasonCode).isEqualTo(0x00);
            Packet pubcomp = client.send(ack(Packet.PUBREL, 33)).next(Packet.PUBCOMP);
            assertThat(pubcomp.packetId).isEqualTo(33);
            assertThat(pubcomp.reasonCode).isEqualTo(0x00);
        }
    }

    @Test
    @DisplayName("[MQTT-4.3.3-11] PUBREL for an unknown packet id is still answered with PUBCOMP (0x92 or 0x00)")
    void pubrelForUnknownId() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "pubrel", Props.of())) {
            Packet pubcomp = client.send(ack(Packet.PUBREL, 99)).expect(Packet.PUBCOMP);
            assertThat(pubcomp.packetId).isEqualTo(99);
            assertThat(pubcomp.reasonCode).isIn(0x92, 0x00);
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.4-6] [MQTT-3.8.4-7] SUBACK has a reason code per filter: the granted QoS")
    void subackPerFilter() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "suback", Props.of())) {
            Packet suback = client.send(subscribe(7, null, new String[] {"rc/a", "rc/b/+", "rc/c/#"},
                    new int[] {0, 1, 2})).expect(Packet.SUBACK);
            assertThat(suback.packetId).as("[MQTT-3.8.4-2]").isEqualTo(7);
            assertThat(suback.reasonCodes).containsExactly(0, 1, 2);
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.4-6] HiveMQ: granted QoS reason codes")
    void subackHive() {
        Mqtt5BlockingClient client = Hive.client(broker, "suback-hive");
        try {
            client.connect();
            Mqtt5SubAck suback = client.subscribeWith()
                    .addSubscription().topicFilter("rc/h0").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                    .addSubscription().topicFilter("rc/h1").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .addSubscription().topicFilter("rc/h2").qos(MqttQos.EXACTLY_ONCE).applySubscription()
                    .send();
            assertThat(suback.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_0,
                    Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.GRANTED_QOS_2);
            Mqtt5UnsubAck unsuback = client.unsubscribeWith().topicFilter("rc/h1").addTopicFilter("rc/never")
                    .send();
            assertThat(unsuback.getReasonCodes()).containsExactly(Mqtt5UnsubAckReasonCode.SUCCESS,
                    Mqtt5UnsubAckReasonCode.NO_SUBSCRIPTIONS_EXISTED);
        } finally {
            Hive.close(client);
        }
    }

    @Test
    @DisplayName("[MQTT-4.7.1-1] [MQTT-3.8.4-7] SUBACK 0x8F for an invalid topic filter, the others granted")
    void subackInvalidFilter() throws Exception {
        broker.assumeJunction("Mosquitto treats such a filter as malformed: DISCONNECT 0x81");
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "suback-bad", Props.of())) {
            Packet suback = client.send(subscribe(8, null, new String[] {"rc/ok", "rc/#/bad", "rc/x+"},
                    new int[] {1, 1, 1})).expect(Packet.SUBACK);
            assertThat(suback.reasonCodes).containsExactly(1, 0x8F, 0x8F);
            assertThat(suback.props.string(Props.REASON_STRING))
                    .as("Junction explains a failure in a reason string").isNotEmpty();
        }
    }

    @Test
    @DisplayName("[MQTT-3.11.3-1] UNSUBACK: 0x00 for a removed subscription, 0x11 when none existed")
    void unsuback() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "unsuback", Props.of())) {
            client.send(subscribe(1, null, "rc/u", 1)).expect(Packet.SUBACK);
            Packet unsuback = client.send(unsubscribe(9, "rc/u", "rc/none")).expect(Packet.UNSUBACK);
            assertThat(unsuback.packetId).as("[MQTT-3.10.4-5]").isEqualTo(9);
            assertThat(unsuback.reasonCodes).containsExactly(0x00, 0x11);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-29] request-problem-information 0: no reason string on SUBACK/UNSUBACK/PUBACK")
    void noReasonStringWhenNotRequested() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "quiet",
                Props.of().add(Props.REQUEST_PROBLEM_INFORMATION, 0))) {
            if (broker.isJunction()) {
                Packet suback = client.send(subscribe(1, null, new String[] {"rc/#/bad", "rc/q"},
                        new int[] {1, 1})).expect(Packet.SUBACK);
                assertThat(suback.reasonCodes).containsExactly(0x8F, 1);
                assertThat(suback.props.has(Props.REASON_STRING)).as("%s", suback).isFalse();
                assertThat(suback.props.has(Props.USER_PROPERTY)).as("%s", suback).isFalse();
            }
            Packet unsuback = client.send(unsubscribe(2, "rc/none")).expect(Packet.UNSUBACK);
            assertThat(unsuback.props.has(Props.REASON_STRING)).as("%s", unsuback).isFalse();
            Packet puback = client.send(publish("rc/none", 1, false, 3, Props.of(), "x")).expect(Packet.PUBACK);
            assertThat(puback.props.has(Props.REASON_STRING)).as("%s", puback).isFalse();
        }
    }
}
