package io.junction.interop.mqtt;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One Eclipse Paho MQTT 3.1.1 (or 3.1) client with in-memory persistence, keeping what arrives in a
 * queue the test takes from with bounded waits. {@link #close()} disconnects and closes it, so no
 * Paho thread outlives the test.
 */
public final class PahoClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A message as Paho handed it to the callback. */
    public record Received(String topic, MqttMessage message) {
        public String text() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }

        public int qos() {
            return message.getQos();
        }

        public boolean retained() {
            return message.isRetained();
        }

        @Override
        public String toString() {
            return topic + " qos=" + qos() + " retained=" + retained() + " dup=" + message.isDuplicate() + " '" + text() + "'";
        }
    }

    private final MqttClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CountDownLatch lost = new CountDownLatch(1);

    private PahoClient(String uri, String clientId) throws MqttException {
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.countDown();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(topic, message));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    /** Options for MQTT 3.1.1, no automatic reconnect, a short connection timeout. */
    public static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(30);
        // Paho counts a synchronous publish in flight until a moment after its PUBACK completes
        // the token; back-to-back publishes against a fast broker can trip its default of 10.
        options.setMaxInflight(100);
        return options;
    }

    /** An MQTT 3.1.1 client with a clean session. */
    public static PahoClient connect(MqttBroker broker, String clientId) throws MqttException {
        return connect(broker.uri(), clientId, options(true));
    }

    public static PahoClient connect(String uri, String clientId, MqttConnectOptions options) throws MqttException {
        PahoClient paho = new PahoClient(uri, clientId);
        try {
            paho.client.connect(options);
            return paho;
        } catch (MqttException | RuntimeException e) {
            paho.close();
            throw e;
        }
    }

    /** A client that is not connected yet, e.g. for a test of a refused CONNECT. */
    public static PahoClient create(String uri, String clientId) throws MqttException {
        return new PahoClient(uri, clientId);
    }

    public MqttClient client() {
        return client;
    }

    public boolean sessionPresentOnConnect(MqttConnectOptions options) throws MqttException {
        return client.connectWithResult(options).getSessionPresent();
    }

    /** Subscribes and waits for SUBACK; returns the granted QoS (128 = failure). */
    public int subscribe(String filter, int qos) throws MqttException {
        return client.subscribeWithResponse(filter, qos).getGrantedQos()[0];
    }

    public void unsubscribe(String filter) throws MqttException {
        client.unsubscribe(filter);
    }

    /** Publishes and waits for the QoS flow to complete (PUBACK / PUBCOMP). */
    public void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    public void publish(String topic, byte[] payload, int qos, boolean retained) throws MqttException {
        client.publish(topic, payload, qos, retained);
    }

    public Received await() throws InterruptedException {
        return await(TIMEOUT);
    }

    public Received await(Duration timeout) throws InterruptedException {
        Received message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + timeout.toMillis() + " ms");
        }
        return message;
    }

    public List<Received> await(int count) throws InterruptedException {
        List<Received> messages = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (messages.size() < count) {
            long left = deadline - System.nanoTime();
            Received message = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
            if (message == null) {
                throw new AssertionError("got " + messages.size() + " of " + count + " messages: " + messages);
            }
            messages.add(message);
        }
        return messages;
    }

    /** Fails if a message arrives within the window. */
    public void assertNoMessage(Duration window) throws InterruptedException {
        Received message = received.poll(window.toMillis(), TimeUnit.MILLISECONDS);
        if (message != null) {
            throw new AssertionError("expected no message, got " + message);
        }
    }

    /** What arrived so far, taken from the queue. */
    public List<Received> drain() {
        List<Received> messages = new ArrayList<>();
        received.drainTo(messages);
        return messages;
    }

    public boolean awaitConnectionLost(Duration timeout) throws InterruptedException {
        return lost.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** A clean DISCONNECT (the session, if persistent, stays on the broker). */
    public void disconnect() throws MqttException {
        client.disconnect(2000);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2000);
            }
        } catch (MqttException ignored) {
            try {
                client.disconnectForcibly(0, 500);
            } catch (MqttException alsoIgnored) {
                // closing anyway
            }
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // already closed
        }
    }
}
