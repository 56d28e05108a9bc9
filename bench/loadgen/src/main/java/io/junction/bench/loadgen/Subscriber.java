package io.junction.bench.loadgen;

import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.junction.bench.LatencyRecorder;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What one subscribing client received: a count, the time of the last message and, when a
 * recorder is given, each message's end-to-end latency. The client library calls it for one
 * subscription's messages one at a time.
 */
final class Subscriber implements Consumer<Mqtt3Publish> {

    private final LatencyRecorder latency;
    final AtomicLong delivered = new AtomicLong();
    volatile long lastDeliveryNanos;

    Subscriber(LatencyRecorder latency) {
        this.latency = latency;
    }

    /** The latency recorder, or null when this subscriber does not measure latency. */
    LatencyRecorder latency() {
        return latency;
    }

    @Override
    public void accept(Mqtt3Publish publish) {
        long now = System.nanoTime();
        delivered.incrementAndGet();
        lastDeliveryNanos = now;
        if (latency != null) {
            publish.getPayload().ifPresent(payload -> {
                long sent = Payload.sentNanos(payload);
                if (sent >= 0) {
                    latency.received(sent, now);
                }
            });
        }
    }
}
