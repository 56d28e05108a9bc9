package io.junction.bench.loadgen;

import io.junction.bench.LatencyRecorder;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one consuming client (JMS or STOMP) received: a count, the time of the last message and
 * each message's end-to-end latency. One client thread calls {@link #received} at a time.
 */
final class Received {

    /** The most latencies kept per consumer (8 bytes each); beyond, the recorder counts but does not keep them. */
    private static final int LATENCY_CAPACITY = 10_000_000;

    final AtomicLong delivered = new AtomicLong();
    final LatencyRecorder latency;
    volatile long lastDeliveryNanos;

    Received(long messages) {
        latency = new LatencyRecorder((int) Math.min(LATENCY_CAPACITY, Math.max(1, messages)));
        latency.recording = true;
    }

    /** One message in, stamped with the sender's nanoTime (-1: not stamped, counted without latency). */
    void received(long sentNanos) {
        long now = System.nanoTime();
        delivered.incrementAndGet();
        lastDeliveryNanos = now;
        if (sentNanos >= 0) {
            latency.received(sentNanos, now);
        }
    }

    static long total(List<Received> consumers) {
        return consumers.stream().mapToLong(r -> r.delivered.get()).sum();
    }

    static long lastDelivery(List<Received> consumers, long otherwise) {
        return consumers.stream().mapToLong(r -> r.lastDeliveryNanos).filter(t -> t != 0).max().orElse(otherwise);
    }

    /**
     * Waits until {@code expected} deliveries came, or none came for {@link PublishSubscribe#QUIET},
     * or the deadline passed.
     */
    static void await(List<Received> consumers, long expected, long deadline) throws InterruptedException {
        long seen = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long delivered = total(consumers);
            long now = System.nanoTime();
            if (delivered >= expected || now - deadline >= 0) {
                return;
            }
            if (delivered != seen) {
                seen = delivered;
                lastChange = now;
            } else if (now - lastChange >= PublishSubscribe.QUIET.toNanos()) {
                return;
            }
            Thread.sleep(10);
        }
    }
}
