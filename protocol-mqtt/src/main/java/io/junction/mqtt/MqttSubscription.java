package io.junction.mqtt;

import io.junction.core.spi.Consumer;
import io.junction.core.spi.ConsumerCallback;
import io.junction.core.spi.Delivery;

/**
 * One topic filter of a connected session, bound to a broker subscription: durable for a
 * persistent session's QoS 1 and 2 subscriptions (so messages wait while the client is away),
 * shared for {@code $share/} filters, otherwise ending with the connection.
 */
final class MqttSubscription implements ConsumerCallback {

    final String filter;
    final MqttSession.SubscriptionOptions options;
    private final MqttConnection connection;
    private volatile Consumer consumer;
    // QoS 0 deliveries written and not yet acknowledged to the broker; event loop only.
    private long[] written;
    private int writtenCount;

    MqttSubscription(String filter, MqttSession.SubscriptionOptions options, MqttConnection connection) {
        this.filter = filter;
        this.options = options;
        this.connection = connection;
    }

    /**
     * Whether the filter is kept by the broker while the client is away. QoS 0 subscriptions are
     * not: QoS 0 messages are not queued for absent clients.
     */
    static boolean isDurable(String filter, MqttSession.SubscriptionOptions options, MqttSession session) {
        return session.persistent() && options.qos() > 0 && MqttTopics.shared(filter) == null;
    }

    void bind(Consumer consumer) {
        this.consumer = consumer;
    }

    Consumer consumer() {
        return consumer;
    }

    /** Notes a QoS 0 delivery as done; returns true when it is the first since the last flush. */
    boolean written(long deliveryId) {
        if (written == null) {
            written = new long[16];
        } else if (writtenCount == written.length) {
            written = java.util.Arrays.copyOf(written, writtenCount * 2);
        }
        written[writtenCount++] = deliveryId;
        return writtenCount == 1;
    }

    /** Acknowledges the noted QoS 0 deliveries to the broker in one go. */
    void acknowledgeWritten() {
        if (writtenCount > 0) {
            consumer.ackAll(written, writtenCount);
            written = null;
            writtenCount = 0;
        }
    }

    @Override
    public void deliver(Delivery delivery) {
        connection.deliverLater(this, delivery);
    }

    @Override
    public void closedByBroker(String reason) {
        connection.subscriptionEndedByBroker(this, reason);
    }
}
