package io.junction.bench.loadgen;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One publishing client: at most {@code window} publishes whose futures have not completed. The
 * library writes a PUBLISH only while its connection is writable and completes a QoS 0 publish once
 * the socket took it and a QoS 1 publish on its PUBACK, so the window follows TCP back-pressure
 * (QoS 0) or bounds the unacknowledged messages (QoS 1). Unpaced ({@code ratePerSecond} 0), each
 * completed publish starts the next at once: as fast as the broker answers. Paced, one thread sends
 * message k at {@code start + k / ratePerSecond}, so that brokers are compared at the same rate, and
 * stamps it with that due time rather than the time it left, so that a broker whose answers hold
 * the window full pays for the messages that wait behind it (no coordinated omission). Stops after
 * {@code limit} messages or at the deadline, whichever comes first. Every payload starts with a
 * {@link System#nanoTime()} (see {@link Payload}).
 */
final class Publisher {

    private final Mqtt3AsyncClient client;
    private final MqttTopic topic;
    private final MqttQos qos;
    private final int payloadBytes;
    private final long limit;
    private final long deadlineNanos;
    private final int window;
    private final int ratePerSecond;
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicInteger activeSlots = new AtomicInteger();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    Publisher(Mqtt3AsyncClient client, MqttTopic topic, MqttQos qos, int payloadBytes, long limit,
              long deadlineNanos, int window, int ratePerSecond) {
        this.client = client;
        this.topic = topic;
        this.qos = qos;
        this.payloadBytes = payloadBytes;
        this.limit = limit;
        this.deadlineNanos = deadlineNanos;
        this.window = window;
        this.ratePerSecond = ratePerSecond;
    }

    /** Starts publishing; the future completes when every publish begun has completed. */
    CompletableFuture<Void> start() {
        if (ratePerSecond > 0) {
            Thread pacer = new Thread(this::pace, "loadgen-pacer");
            pacer.setDaemon(true);
            pacer.start();
            return done;
        }
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

    /**
     * The paced sends, on their own thread. It sleeps until the next message is due and then sends
     * every message due by now (a sleep can overshoot the gap between two messages), waiting for
     * room in the window first. {@code activeSlots} counts this thread and each publish in flight.
     */
    private void pace() {
        Semaphore room = new Semaphore(window);
        long interval = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        activeSlots.set(1);
        try {
            long due = System.nanoTime();
            for (long k = 0; k < limit; ) {
                long now = System.nanoTime();
                if (now - deadlineNanos >= 0) {
                    break;
                }
                if (due - now > 0) {
                    LockSupport.parkNanos(due - now);
                    continue;
                }
                if (!room.tryAcquire(Math.max(0, deadlineNanos - now), TimeUnit.NANOSECONDS)) {
                    break;
                }
                activeSlots.incrementAndGet();
                long stamp = due;
                client.publishWith().topic(topic).qos(qos).payload(Payload.stamped(payloadBytes, stamp)).send()
                        .whenComplete((result, error) -> {
                            if (error == null) {
                                sent.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, error);
                            }
                            room.release();
                            endSlot();
                        });
                k++;
                due += interval;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            endSlot();
        }
    }

    private void endSlot() {
        if (activeSlots.decrementAndGet() == 0) {
            done.complete(null);
        }
    }
}
