package io.junction.interop.mqtt.v5;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.connect;
import static io.junction.interop.mqtt.v5.RawMqtt5Client.disconnect;
import static io.junction.interop.mqtt.v5.RawMqtt5Client.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5.0 sections 3.1.2.4 Clean Start, 3.1.2.11.2 Session Expiry Interval, 3.2.2.1.1 Session
 * Present and 4.1 Session State.
 */
@Timeout(30)
class Mqtt5SessionExpiryTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    /** Connects with clean start 0, subscribes to topic at QoS 1 and disconnects normally. */
    private void leaveSession(String clientId, long expiry, String topic) throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            client.send(connect(clientId, true, 30, Props.of().add(Props.SESSION_EXPIRY_INTERVAL, expiry)))
                    .expect(Packet.CONNACK);
            client.send(subscribe(1, null, topic, 1)).expect(Packet.SUBACK);
            client.send(disconnect(0, null));
            client.awaitClosed();
        }
    }

    private void publishQos1(String topic, String payload) throws Exception {
        try (PahoV5 publisher = PahoV5.connected(broker.uri(), "publisher-" + System.nanoTime())) {
            publisher.publish(topic, payload, 1, false);
        }
    }

    private RawMqtt5Client resume(String clientId, long expiry, Packet[] connack) throws Exception {
        RawMqtt5Client client = RawMqtt5Client.open(broker.port());
        connack[0] = client.send(connect(clientId, false, 30,
                Props.of().add(Props.SESSION_EXPIRY_INTERVAL, expiry))).expect(Packet.CONNACK);
        return client;
    }

    @Test
    @DisplayName("[3.1.2.11.2] [MQTT-3.2.2-3] session-expiry 0: the session ends with the connection")
    void expiryZeroEndsAtDisconnect() throws Exception {
        leaveSession("expiry-zero", 0, "sx/zero");
        publishQos1("sx/zero", "lost");
        Packet[] connack = new Packet[1];
        try (RawMqtt5Client client = resume("expiry-zero", 0, connack)) {
            assertThat(connack[0].sessionPresent).isFalse();
            client.expectNothing(Duration.ofMillis(500));
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-23] [MQTT-3.1.2-5] [MQTT-3.2.2-3] session-expiry > 0: subscriptions and queued "
            + "QoS 1 messages survive the absence; session present 1")
    void sessionSurvivesAbsence() throws Exception {
        leaveSession("expiry-keep", 60, "sx/keep");
        publishQos1("sx/keep", "one");
        publishQos1("sx/keep", "two");
        Packet[] connack = new Packet[1];
        try (RawMqtt5Client client = resume("expiry-keep", 60, connack)) {
            assertThat(connack[0].sessionPresent).isTrue();
            Packet first = client.expect(Packet.PUBLISH);
            client.send(RawMqtt5Client.ack(Packet.PUBACK, first.packetId));
            Packet second = client.expect(Packet.PUBLISH);
            client.send(RawMqtt5Client.ack(Packet.PUBACK, second.packetId));
            assertThat(first.payloadText()).isEqualTo("one");
            assertThat(second.payloadText()).isEqualTo("two");
            publishQos1("sx/keep", "live");
            assertThat(client.expect(Packet.PUBLISH).payloadText()).as("the subscription is still there")
                    .isEqualTo("live");
        }
    }

    @Test
    @DisplayName("[3.1.2.11.2] [4.1] a session is removed once its expiry interval has passed")
    void sessionExpires() throws Exception {
        leaveSession("expiry-short", 1, "sx/short");
        publishQos1("sx/short", "queued");
        Thread.sleep(2500); // the passing of the interval is what is tested
        Packet[] connack = new Packet[1];
        try (RawMqtt5Client client = resume("expiry-short", 60, connack)) {
            assertThat(connack[0].sessionPresent).isFalse();
            client.expectNothing(Duration.ofMillis(300));
            publishQos1("sx/short", "after");
            client.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-4] [MQTT-3.2.2-2] clean start 1 discards the existing session")
    void cleanStartDiscards() throws Exception {
        leaveSession("clean", 60, "sx/clean");
        publishQos1("sx/clean", "old");
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            Packet connack = client.send(connect("clean", true, 30,
                    Props.of().add(Props.SESSION_EXPIRY_INTERVAL, 60L))).expect(Packet.CONNACK);
            assertThat(connack.sessionPresent).isFalse();
            client.expectNothing(Duration.ofMillis(300));
            publishQos1("sx/clean", "new");
            client.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-23] the session is kept after an abnormal close too (Paho, clean start 0)")
    void sessionKeptAfterAbort() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            client.send(connect("aborted", true, 30, Props.of().add(Props.SESSION_EXPIRY_INTERVAL, 60L)))
                    .expect(Packet.CONNACK);
            client.send(subscribe(1, null, "sx/abort", 1)).expect(Packet.SUBACK);
            client.abort();
        }
        publishQos1("sx/abort", "kept");
        var options = PahoV5.options();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(60L);
        try (PahoV5 paho = PahoV5.create(broker.uri(), "aborted")) {
            assertThat(paho.connect(options).getSessionPresent()).isTrue();
            assertThat(paho.next().text()).isEqualTo("kept");
        }
    }

    @Test
    @DisplayName("[3.14.2.2.2] DISCONNECT may set session-expiry to 0: the session then ends")
    void disconnectChangesExpiry() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            client.send(connect("shorten", true, 30, Props.of().add(Props.SESSION_EXPIRY_INTERVAL, 60L)))
                    .expect(Packet.CONNACK);
            client.send(subscribe(1, null, "sx/shorten", 1)).expect(Packet.SUBACK);
            client.send(disconnect(0, Props.of().add(Props.SESSION_EXPIRY_INTERVAL, 0L)));
            client.awaitClosed();
        }
        Packet[] connack = new Packet[1];
        try (RawMqtt5Client client = resume("shorten", 0, connack)) {
            assertThat(connack[0].sessionPresent).isFalse();
        }
    }

    @Test
    @DisplayName("[MQTT-3.14.2-2 context] session-expiry 0 at CONNECT and non-zero at DISCONNECT is a "
            + "protocol error")
    void disconnectCannotExtendZeroExpiry() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "extend", Props.of())) {
            client.send(disconnect(0, Props.of().add(Props.SESSION_EXPIRY_INTERVAL, 60L)));
            try {
                Packet packet = client.read();
                assertThat(packet.type).as("%s", packet).isEqualTo(Packet.DISCONNECT);
                assertThat(packet.reasonCode).isEqualTo(0x82);
            } catch (java.io.EOFException | java.net.SocketException closed) {
                // the connection is closed either way; a DISCONNECT first is a SHOULD
            }
        }
        Packet[] connack = new Packet[1];
        try (RawMqtt5Client client = resume("extend", 0, connack)) {
            assertThat(connack[0].sessionPresent).as("the session did not become persistent").isFalse();
        }
    }
}
