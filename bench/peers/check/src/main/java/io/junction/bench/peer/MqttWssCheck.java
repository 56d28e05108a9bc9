package io.junction.bench.peer;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT round trip over WebSocket over TLS through a peer broker, for {@code bench/peers/peer.sh
 * check}: the HiveMQ client (MQTT 3.1.1, which every peer serves) subscribes with QoS 1 to a topic of
 * its own, publishes one QoS 1 message to it and waits for it. The broker's certificate must be the
 * one in the trust store and name 127.0.0.1. Prints one {@code ok ...} line, or {@code FAILED ...}
 * and exits 1.
 *
 * <p>Arguments: the port on 127.0.0.1, the WebSocket path, the {@code trust.p12} of
 * {@code bench/peers/tls.sh}.
 */
public final class MqttWssCheck {

    private static final long RECEIVE_TIMEOUT_S = 20;

    private MqttWssCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: MqttWssCheck <port> <websocket path> <trust.p12>");
        }
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        String topic = "peer-check/wss/" + ProcessHandle.current().pid();
        String payload = "mqtt wss round trip " + System.nanoTime();
        Mqtt3BlockingClient client = Mqtt3Client.builder()
                .identifier("peer-check-wss-" + ProcessHandle.current().pid())
                .serverHost("127.0.0.1")
                .serverPort(port)
                .sslConfig().trustManagerFactory(TrustStore.trustManagers(Path.of(args[2]))).applySslConfig()
                .webSocketConfig().serverPath(path).applyWebSocketConfig()
                .buildBlocking();
        client.connect();
        Optional<Mqtt3Publish> received;
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send(); // returns on the SUBACK
            client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send(); // returns on the PUBACK
            received = publishes.receive(RECEIVE_TIMEOUT_S, TimeUnit.SECONDS);
        } finally {
            client.disconnect();
        }
        String body = received.map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).orElse(null);
        if (payload.equals(body)) {
            System.out.println("ok mqtt-wss: QoS 1 publish and subscribe through wss://127.0.0.1:" + port + path
                    + " (HiveMQ MQTT client)");
            return;
        }
        System.out.println("FAILED mqtt-wss on wss://127.0.0.1:" + port + path + ": received " + body);
        System.exit(1);
    }
}
