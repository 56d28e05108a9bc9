package io.junction.interop.mqtt.v5;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;

/** HiveMQ MQTT client helpers: a builder on the test broker, and a disconnect that never throws. */
final class Hive {

    private Hive() {
    }

    static Mqtt5ClientBuilder builder(Mqtt5Broker broker, String clientId) {
        return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(broker.port());
    }

    static Mqtt5BlockingClient client(Mqtt5Broker broker, String clientId) {
        return builder(broker, clientId).buildBlocking();
    }

    /** Disconnects if connected; for finally blocks. */
    static void close(Mqtt5BlockingClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.getState() != MqttClientState.DISCONNECTED) {
                client.disconnect();
            }
        } catch (RuntimeException ignored) {
            // already gone
        }
    }
}
