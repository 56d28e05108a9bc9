package io.junction.interop.mqtt.v5;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.connect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5.0 section 3.14 DISCONNECT sent by the server (4.13): session takeover, shutdown, keep-alive
 * expiry, each with its reason code, then the close.
 */
@Timeout(30)
class Mqtt5ServerDisconnectTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    @Test
    @DisplayName("[MQTT-3.1.4-3] a second connection with the same client id disconnects the first with 0x8E "
            + "(HiveMQ)")
    void takeoverTellsTheFirstClientHive() throws Exception {
        CompletableFuture<Throwable> cause = new CompletableFuture<>();
        Mqtt5BlockingClient first = Hive.builder(broker, "taken")
                .addDisconnectedListener(context -> cause.complete(context.getCause()))
                .buildBlocking();
        Mqtt5BlockingClient second = Hive.client(broker, "taken");
        try {
            first.connect();
            second.connect();
            Throwable why = cause.get(5, TimeUnit.SECONDS);
            if (broker.isJunction() || why instanceof Mqtt5DisconnectException) {
                // Mosquitto 2.0.11 closes without DISCONNECT; Junction's design sends 0x8E
                assertThat(why).isInstanceOf(Mqtt5DisconnectException.class);
                assertThat(((Mqtt5DisconnectException) why).getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
            }
            assertThat(second.getState().isConnected()).isTrue();
        } finally {
            Hive.close(first);
            Hive.close(second);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] [MQTT-3.14.4-2] takeover: DISCONNECT 0x8E, then the old connection is closed "
            + "(Paho, raw)")
    void takeoverTellsTheFirstClientRaw() throws Exception {
        try (RawMqtt5Client first = RawMqtt5Client.connected(broker.port(), "taken-raw", Props.of());
             PahoV5 second = PahoV5.connected(broker.uri(), "taken-raw")) {
            broker.expectDisconnect(first, 0x8E);
            assertThat(second.client.isConnected()).isTrue();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] a Paho client taken over sees reason 0x8E")
    void takeoverPaho() throws Exception {
        try (PahoV5 first = PahoV5.connected(broker.uri(), "taken-paho");
             PahoV5 second = PahoV5.connected(broker.uri(), "taken-paho")) {
            MqttDisconnectResponse response = first.awaitDisconnected();
            if (broker.isJunction()) {
                assertThat(response.getReturnCode()).as("%s", response).isEqualTo(0x8E);
            }
            assertThat(second.client.isConnected()).isTrue();
        }
    }

    @Test
    @DisplayName("[MQTT-3.14.2-1] a broker shutting down sends DISCONNECT 0x8B to MQTT 5 clients")
    void shutdownSendsServerShuttingDown() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "shutdown", Props.of())) {
            broker.stop();
            broker.expectDisconnect(client, 0x8B);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-22] a silent client is closed after 1.5 x keep-alive (DISCONNECT 0x8D if any)")
    void keepAliveTimeout() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            assertThat(client.send(connect("silent", true, 1, Props.of())).expect(Packet.CONNACK).reasonCode)
                    .isZero();
            long start = System.nanoTime();
            try {
                Packet packet = client.read(Duration.ofSeconds(broker.isJunction() ? 4 : 7));
                assertThat(packet.type).as("%s", packet).isEqualTo(Packet.DISCONNECT);
                assertThat(packet.reasonCode).isEqualTo(0x8D);
                client.awaitClosed();
            } catch (java.io.EOFException | java.net.SocketException closedWithoutDisconnect) {
                // closing without DISCONNECT is allowed: "it MUST close the Network Connection"
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("closed after %d ms", millis).isBetween(1000L, broker.isJunction() ? 3500L : 7000L);
        }
    }
}
