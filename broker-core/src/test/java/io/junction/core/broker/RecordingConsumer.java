package io.junction.core.broker;

import static org.awaitility.Awaitility.await;

import io.junction.core.spi.Consumer;
import io.junction.core.spi.ConsumerCallback;
import io.junction.core.spi.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what one subscription receives. Deliveries arrive on the broker's dispatch threads, so
 * everything here is thread-safe and the waits are bounded.
 */
final class RecordingConsumer implements ConsumerCallback {

    static final Duration WAIT = Duration.ofSeconds(5);

    private record Received(Delivery delivery, long arrivalNanos) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private Consumer consumer;

    void attach(Consumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public void deliver(Delivery delivery) {
        received.add(new Received(delivery, System.nanoTime()));
    }

    /** The broker ends a subscription only by deleting its queue, which the tests see in {@link Broker#queues()}. */
    @Override
    public void closedByBroker(String reason) {
    }

    /** Waits until at least {@code count} deliveries have arrived, then returns all of them. */
    List<Delivery> awaitDeliveries(int count) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> received.size() >= count);
        return deliveries();
    }

    /** Waits for the delivery at {@code index} (0 = the first this consumer received). */
    Delivery awaitDelivery(int index) {
        return awaitDeliveries(index + 1).get(index);
    }

    List<Delivery> deliveries() {
        return received.stream().map(Received::delivery).toList();
    }

    List<String> bodies() {
        return deliveries().stream().map(d -> d.message().bodyAsText()).toList();
    }

    /** When the delivery at {@code index} reached this consumer, in {@link System#nanoTime()} terms. */
    long arrivalNanos(int index) {
        return received.get(index).arrivalNanos();
    }

    void ack(Delivery delivery) {
        consumer.ack(delivery.id());
    }

    void nack(Delivery delivery) {
        consumer.nack(delivery.id());
    }

    void close() {
        consumer.close();
    }

    Consumer consumer() {
        return consumer;
    }
}
