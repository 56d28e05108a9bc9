package io.junction.interop.mqtt.v5;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An Eclipse Paho MQTT 5 client (synchronous API, in-memory persistence) whose callback queues
 * what arrives, so that a test can wait for a message or a server DISCONNECT with a deadline.
 */
public final class PahoV5 implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A message as delivered to the callback. */
    public record Received(String topic, MqttMessage message) {
        public String text() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }

        public MqttProperties props() {
            return message.getProperties();
        }
    }

    public final MqttClient client;
    private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<MqttDisconnectResponse> disconnects = new LinkedBlockingQueue<>();

    private PahoV5(MqttClient client) {
        this.client = client;
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                disconnects.add(response);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                // surfaced through the tokens
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                messages.add(new Received(topic, message));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
    }

    public static PahoV5 create(String uri, String clientId) throws MqttException {
        MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setTimeToWait(TIMEOUT.toMillis());
        return new PahoV5(client);
    }

    /** Clean start, no reconnect, keep-alive 30 s, session-expiry 0. */
    public static MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout((int) TIMEOUT.toSeconds());
        options.setKeepAliveInterval(30);
        return options;
    }

    /** Connects a new client with {@link #options()}. */
    public static PahoV5 connected(String uri, String clientId) throws MqttException {
        return connected(uri, clientId, options());
    }

    public static PahoV5 connected(String uri, String clientId, MqttConnectionOptions options) throws MqttException {
        PahoV5 paho = create(uri, clientId);
        try {
            paho.client.connect(options);
        } catch (MqttException | RuntimeException e) {
            paho.close();
            throw e;
        }
        return paho;
    }

    public IMqttToken connect(MqttConnectionOptions options) throws MqttException {
        return client.connectWithResult(options);
    }

    public void publish(String topic, String payload, int qos, boolean retain) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(qos);
        message.setRetained(retain);
        publish(topic, message);
    }

    public void publish(String topic, String payload, int qos, MqttProperties props) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(qos);
        message.setProperties(props);
        publish(topic, message);
    }

    /**
     * A synchronous publish. Paho counts a publish in flight until a moment after its PUBACK has
     * completed the token, so back-to-back publishes against the server's receive-maximum can be
     * refused by Paho itself (32202); such a publish is tried again shortly.
     */
    private void publish(String topic, MqttMessage message) throws MqttException {
        for (int attempt = 0; ; attempt++) {
            try {
                client.publish(topic, message);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || attempt == 100) {
                    throw e;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The next message; fails when none arrives within {@link #TIMEOUT}. */
    public Received next() throws InterruptedException {
        Received received = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (received == null) {
            throw new AssertionError("no message within " + TIMEOUT);
        }
        return received;
    }

    /** The next n messages. */
    public List<Received> next(int n) throws InterruptedException {
        List<Received> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(next());
        }
        return list;
    }

    /** Fails if a message arrives within the window. */
    public void expectNothing(Duration window) throws InterruptedException {
        Received received = messages.poll(window.toMillis(), TimeUnit.MILLISECONDS);
        if (received != null) {
            throw new AssertionError("expected no message, got " + received.topic() + " " + received.text());
        }
    }

    /** Messages received so far, without waiting. */
    public List<Received> drain() {
        List<Received> list = new ArrayList<>();
        messages.drainTo(list);
        return list;
    }

    /** The DISCONNECT (or connection loss) the client saw; fails when none within the timeout. */
    public MqttDisconnectResponse awaitDisconnected() throws InterruptedException {
        MqttDisconnectResponse response = disconnects.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (response == null) {
            throw new AssertionError("not disconnected within " + TIMEOUT);
        }
        return response;
    }

    /** A polite DISCONNECT (reason 0x00), keeping the client object for a reconnect. */
    public void disconnect() throws MqttException {
        client.disconnect(1000);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
        } catch (MqttException ignored) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // already closed
        }
    }
}
