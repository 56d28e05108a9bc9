package io.junction.bench.loadgen;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One publishing client, paced by the client library: at most {@code window} publishes whose
 * futures have not completed. The library writes a PUBLISH only while its connection is writable
 * and completes a QoS 0 publish once the socket took it and a QoS 1 publish on its PUBACK, so the
 * window follows TCP back-pressure (QoS 0) or bounds the unacknowledged messages (QoS 1). Stops
 * after {@code limit} messages or at the deadline, whichever comes first. Every payload starts
 * with the sender's {@link System#nanoTime()} (see {@link Payload}).
 */
final class Publisher {

    private final Mqtt3AsyncClient client;
    private final MqttTopic topic;
    private final MqttQos qos;
    private final int payloadBytes;
    private final long limit;
    private final long deadlineNanos;
    private final int window;
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicInteger activeSlots = new AtomicInteger();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    Publisher(Mqtt3AsyncClient client, MqttTopic topic, MqttQos qos, int payloadBytes, long limit,
              long deadlineNanos, int window) {
        this.client = client;
        this.topic = topic;
        this.qos = qos;
        this.payloadBytes = payloadBytes;
        this.limit = limit;
        this.deadlineNanos = deadlineNanos;
        this.window = window;
    }

    /** Starts publishing; the future completes when every publish begun has completed. */
    CompletableFuture<Void> start() {
        activeSlots.set(window);
        for (int i = 0; i < window; i++) {
            next();
        }
        return done;
    }

    /**
     * Sends the next message of one window slot, or ends the slot. A slot also ends on a failed
     * publish (the connection is most likely gone), which keeps a burst of immediate failures from
     * recursing.
     */
    private void next() {
        if (claimed.getAndIncrement() >= limit || System.nanoTime() - deadlineNanos >= 0) {
            endSlot();
            return;
        }
        ByteBuffer payload = Payload.stamped(payloadBytes);
        client.publishWith().topic(topic).qos(qos).payload(payload).send().whenComplete((result, error) -> {
            if (error == null) {
                sent.incrementAndGet();
                next();
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, error);
                endSlot();
            }
        });
    }

    private void endSlot() {
        if (activeSlots.decrementAndGet() == 0) {
            done.complete(null);
        }
    }
}
