package io.junction.interop.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.junction.interop.mqtt.MqttBytes.connect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * QoS 0 publishers that outrun a subscriber (the benchmark's fan-in): Junction slows the
 * publishers (stops reading their connections) for as long as the subscriber keeps taking
 * messages, so it loses none; a subscriber that takes nothing stops holding them back after the
 * hold limit. Mosquitto drops instead, so these are Junction's own design.
 */
@Timeout(120)
class MqttSlowSubscriberTest {

    /** Small, so that the publishers outrun the bound many times over. */
    private static final int MAX_QUEUED = 100;
    /** Publishes a publisher has not yet seen written, as the benchmark's generator keeps them. */
    private static final int PUBLISH_WINDOW = 256;

    @RegisterExtension
    final MqttBroker broker = MqttBroker.withSettings("", "maxQueuedMessages: " + MAX_QUEUED);

    @BeforeEach
    void junctionOnly() {
        MqttBroker.assumeJunction("flow control of QoS 0 publishers");
    }

    @Test
    @DisplayName("4 HiveMQ QoS 0 publishers flooding one slow Paho subscriber: every message arrives, in order per publisher")
    void slowSubscriberThatKeepsConsumingLosesNothing() throws Exception {
        int publishers = 4;
        int perPublisher = 5_000;
        SlowSubscriber subscriber = new SlowSubscriber(broker.uri(), "fan-in/slow", publishers, publishers * perPublisher);
        try {
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                sending.add(publish("slow-pub-" + p, "fan-in/slow", p, perPublisher, 100));
            }
            CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);

            assertThat(subscriber.all.await(30, TimeUnit.SECONDS))
                    .as("all %d messages arrive; %d did", publishers * perPublisher, subscriber.count.get())
                    .isTrue();
            assertThat(subscriber.outOfOrder).as("out of order or repeated").isEmpty();
            int[] expected = new int[publishers];
            Arrays.fill(expected, perPublisher - 1);
            assertThat(subscriber.lastSequence).containsExactly(expected);
        } finally {
            subscriber.close();
        }
    }

    @Test
    @DisplayName("a subscriber that reads nothing does not block its publisher; a healthy subscriber beside it still gets everything")
    void stuckSubscriberDoesNotBlockPublishers() throws Exception {
        int messages = 10_000;
        SlowSubscriber healthy = new SlowSubscriber(broker.uri(), "fan-in/stuck", 1, messages);
        try (RawMqttClient stuck = RawMqttClient.connected(broker.port(), connect("stuck-reader"))) {
            stuck.send(MqttBytes.subscribe(1, "fan-in/stuck", 0)).expect(MqttPacket.SUBACK);
            // From here on it reads nothing: the broker's socket to it fills up (some MB of 1 KB
            // messages) and it takes nothing more.

            publish("stuck-pub", "fan-in/stuck", 0, messages, 1024).get(60, TimeUnit.SECONDS);

            assertThat(healthy.all.await(30, TimeUnit.SECONDS))
                    .as("the healthy subscriber gets all %d messages; %d did", messages, healthy.count.get())
                    .isTrue();
            assertThat(healthy.outOfOrder).isEmpty();
            stuck.abort();
        } finally {
            healthy.close();
        }
    }

    /**
     * A HiveMQ client publishing {@code count} QoS 0 messages "sequence publisher payload" with at
     * most {@link #PUBLISH_WINDOW} not yet written; completes when all are written.
     */
    private CompletableFuture<Void> publish(String clientId, String topic, int publisher, int count, int size)
            throws Exception {
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
        client.connect().get(10, TimeUnit.SECONDS);
        return CompletableFuture.runAsync(() -> {
            Semaphore window = new Semaphore(PUBLISH_WINDOW);
            AtomicInteger failures = new AtomicInteger();
            for (int i = 0; i < count; i++) {
                window.acquireUninterruptibly();
                client.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE).payload(payload(publisher, i, size))
                        .send().whenComplete((ok, failure) -> {
                            if (failure != null) {
                                failures.incrementAndGet();
                            }
                            window.release();
                        });
            }
            window.acquireUninterruptibly(PUBLISH_WINDOW);
            client.disconnect().join();
            assertThat(failures.get()).as("failed publishes of " + clientId).isZero();
        });
    }

    private static byte[] payload(int publisher, int sequence, int size) {
        byte[] header = (sequence + " " + publisher + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] payload = Arrays.copyOf(header, Math.max(size, header.length));
        Arrays.fill(payload, header.length, payload.length, (byte) 'x');
        return payload;
    }

    /**
     * A Paho subscriber that pauses 1 ms every 5 messages. Paho's reader waits while its callback
     * is busy, so the subscriber pushes back through TCP rather than dropping anything.
     */
    private static final class SlowSubscriber {

        final CountDownLatch all;
        final AtomicInteger count = new AtomicInteger();
        /** The last sequence number from each publisher; the callback's thread only, read after {@link #all}. */
        final int[] lastSequence;
        final List<String> outOfOrder = new ArrayList<>();
        private final org.eclipse.paho.client.mqttv3.MqttClient client;

        SlowSubscriber(String uri, String topic, int publishers, int expected) throws Exception {
            all = new CountDownLatch(expected);
            lastSequence = new int[publishers];
            Arrays.fill(lastSequence, -1);
            client = new org.eclipse.paho.client.mqttv3.MqttClient(uri, "slow-sub", new MemoryPersistence());
            MqttConnectOptions options = PahoClient.options(true);
            client.connect(options);
            client.subscribe(topic, 0, (t, message) -> {
                String[] fields = new String(message.getPayload(), 0, 16, StandardCharsets.US_ASCII).split(" ");
                int sequence = Integer.parseInt(fields[0]);
                int publisher = Integer.parseInt(fields[1]);
                if (sequence != lastSequence[publisher] + 1) {
                    outOfOrder.add(publisher + ":" + sequence + " after " + lastSequence[publisher]);
                }
                lastSequence[publisher] = sequence;
                if (count.incrementAndGet() % 5 == 0) {
                    Thread.sleep(1);
                }
                all.countDown();
            });
        }

        void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }
}
