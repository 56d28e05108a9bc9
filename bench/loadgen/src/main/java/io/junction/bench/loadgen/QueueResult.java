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
        Double brokerCpu = measured.brokerCpuSeconds();
        boolean measuredLatency = latency.samples() > 0;
        return new ResultLine()
                .put("scenario", scenario)
                .put("broker", target.name())
                .put("sent", sent)
                .put("delivered", delivered)
                .put("expected", expected)
                .put("seconds", seconds)
                .put("msgsPerSec", delivered / seconds)
                .put("p50Ms", measuredLatency ? latency.p50Micros() / 1000 : null)
                .put("p99Ms", measuredLatency ? latency.p99Micros() / 1000 : null)
                .put("p999Ms", measuredLatency ? latency.p999Micros() / 1000 : null)
                .put("brokerRssKb", measured.brokerRssKb())
                .put("brokerCpuSec", brokerCpu)
                .put("generatorCpuSec", measured.generatorCpuSeconds())
                .put("lost", delivered < expected)
                .put("brokerCpuUsPerMsg", brokerCpu == null || delivered == 0 ? null : brokerCpu * 1e6 / delivered)
                .put("failed", sends.failed.get())
                .put("latencySamples", measuredLatency ? latency.samples() : null);
    }
}
