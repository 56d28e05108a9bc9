package io.junction.core.broker;

import io.junction.core.config.DestinationPolicy;
import io.junction.core.config.DestinationsConfig;
import io.junction.core.config.DiskFullPolicy;
import io.junction.core.config.FullPolicy;
import io.junction.core.config.PolicyType;
import io.junction.core.config.PolicyValues;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.SubscriptionSpec;
import io.junction.core.store.MessageStore;
import io.junction.core.store.journal.FsyncPolicy;
import io.junction.core.store.journal.JournalFiles;
import io.junction.core.store.journal.JournalOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A started {@link Broker} per test, with helpers to connect, send and subscribe. Subclasses
 * override {@link #config()} to set policies.
 */
abstract class BrokerTestSupport {

    static final int PREFETCH = 1000;

    Broker broker;
    MessageStore store;
    private final List<BrokerConnection> connections = new ArrayList<>();

    /** Each test's journal; the broker under test stores persistent messages like the real one. */
    @TempDir
    Path dataDirectory;

    DestinationsConfig config() {
        return DestinationsConfig.DEFAULTS;
    }

    Limits limits() {
        return new Limits(64L * 1024 * 1024, 0, DiskFullPolicy.BLOCK, dataDirectory.resolve("paging"));
    }

    @BeforeEach
    final void startBroker() throws Exception {
        store = MessageStore.open(dataDirectory.resolve("journal"), JOURNAL, JournalFiles.DISK, 50);
        broker = new Broker(config(), limits(), 2, store);
        broker.start();
    }

    @AfterEach
    final void stopBroker() throws Exception {
        connections.forEach(connection -> connection.close("test finished"));
        settle();
        broker.stop();
        store.close();
    }

    static final JournalOptions JOURNAL = new JournalOptions(1024 * 1024, FsyncPolicy.NEVER, Duration.ofMillis(100),
            64 * 1024);

    // ---- configuration ----

    static DestinationsConfig withPolicies(DestinationPolicy... policies) {
        return new DestinationsConfig(true, true, DestinationsConfig.DEFAULT_EXPIRY_SCAN_INTERVAL,
                List.of(policies), List.of());
    }

    static DestinationPolicy policy(String match, PolicyValues values) {
        return new DestinationPolicy(match, PolicyType.ANY, Optional.empty(), values);
    }

    static PolicyValues maxRedeliveries(int max) {
        PolicyValues d = PolicyValues.DEFAULTS;
        return new PolicyValues(max, d.redeliveryDelay(), d.deadLetterQueue(), d.deadLetterPerDestination(),
                d.expiry(), d.expiryQueue(), d.memoryLimit(), d.fullPolicy());
    }

    static PolicyValues memoryLimit(long bytes, FullPolicy whenFull) {
        PolicyValues d = PolicyValues.DEFAULTS;
        return new PolicyValues(d.maxRedeliveries(), d.redeliveryDelay(), d.deadLetterQueue(),
                d.deadLetterPerDestination(), d.expiry(), d.expiryQueue(), bytes, whenFull);
    }

    // ---- connections and messages ----

    BrokerConnection connect() throws BrokerException {
        return connect(null);
    }

    BrokerConnection connect(String clientId) throws BrokerException {
        BrokerConnection connection = broker.openConnection("test", null, clientId);
        connections.add(connection);
        return connection;
    }

    static Destination queue(String name) {
        return Destination.queue(name);
    }

    static Destination topic(String name) {
        return Destination.topic(name);
    }

    static Message text(Destination destination, String body) {
        return Message.builder(destination).textBody(body).build();
    }

    /** Sends each body as a text message and waits until the broker has taken it. */
    static void send(BrokerConnection connection, Destination destination, String... bodies) {
        for (String body : bodies) {
            send(connection, text(destination, body));
        }
    }

    static void send(BrokerConnection connection, Message message) {
        connection.send(message).toCompletableFuture().join();
    }

    static SubscriptionSpec spec(Destination destination) {
        return new SubscriptionSpec(destination, null, PREFETCH, false, null);
    }

    static RecordingConsumer subscribe(BrokerConnection connection, Destination destination) throws BrokerException {
        return subscribe(connection, spec(destination));
    }

    static RecordingConsumer subscribe(BrokerConnection connection, SubscriptionSpec spec) throws BrokerException {
        RecordingConsumer recorder = new RecordingConsumer();
        recorder.attach(connection.subscribe(spec, recorder));
        return recorder;
    }

    /** Waits for {@code count} deliveries, acknowledging each as it arrives; returns their bodies. */
    static List<String> receiveAcknowledging(RecordingConsumer consumer, int count) {
        for (int i = 0; i < count; i++) {
            consumer.ack(consumer.awaitDelivery(i));
        }
        return consumer.bodies();
    }

    // ---- observing the broker ----

    /**
     * Waits until every queue has run the tasks submitted to it before this call, so that a test
     * can assert what was <em>not</em> delivered. Two rounds, because a task in one queue may feed
     * another (dead letters, expired messages). Timer-delayed redeliveries are not covered.
     */
    void settle() throws Exception {
        for (int round = 0; round < 2; round++) {
            List<CompletableFuture<Void>> barriers = new ArrayList<>();
            for (Queue queue : broker.allQueues()) {
                CompletableFuture<Void> barrier = new CompletableFuture<>();
                queue.execute(() -> barrier.complete(null));
                barriers.add(barrier);
            }
            CompletableFuture.allOf(barriers.toArray(new CompletableFuture[0]))
                    .get(RecordingConsumer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The named queue's counters; fails when it does not exist. */
    Broker.QueueInfo queueInfo(String name) {
        Broker.QueueInfo info = broker.queue(name);
        if (info == null) {
            throw new AssertionError("queue " + name + " does not exist; queues: " + broker.queues());
        }
        return info;
    }
}
