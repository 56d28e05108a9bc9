package io.junction.bench.loadgen;

import io.junction.bench.LatencyRecorder;

import java.util.List;

/**
 * The result fields every JMS and STOMP run shares, in the order of the MQTT scenarios' line:
 * counts, the window, latency over every consumer, broker RSS and CPU, generator CPU, loss.
 */
final class QueueResult {

    private QueueResult() {
    }

    static ResultLine of(String scenario, Target target, Sends sends, List<Received> consumers, long expected,
                         long start, long producersDone, Window measured) {
        long sent = sends.sent.get();
        long delivered = Received.total(consumers);
        long last = Received.lastDelivery(consumers, producersDone);
        double seconds = (Math.max(last, start + 1) - start) / 1e9;
        LatencyRecorder.Summary latency = LatencyRecorder.summarize(consumers.stream().map(r -> r.latency).toList());
        boolean measuredLatency = latency.samples() > 0;
        return ResultLine.deliveries(scenario, target, sent, delivered, expected, seconds,
                        measuredLatency ? latency : null, measured, delivered < expected)
                .put("failed", sends.failed.get())
                .put("latencySamples", measuredLatency ? latency.samples() : null);
    }
}
