package io.junction.bench.loadgen;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import io.junction.bench.LatencyRecorder;
import io.junction.bench.Progress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishers and subscribers on one topic: fan-in (many publishers, one subscriber), one-to-one
 * and fan-out (one publisher, many subscribers). Subscribers connect and subscribe first, then
 * publishers send {@code messages} in all (shared out evenly) until they are sent or
 * {@code limit} has passed. Every subscriber should get every message sent: a subscriber that
 * got fewer marks the run {@code lost}. Its window runs from the first publish to the last
 * delivery; once the publishers stop, the run waits for deliveries while they keep coming (at
 * most {@link #QUIET} without one, and at most another {@code limit} in all).
 */
final class PublishSubscribe implements Scenario {

    /** A delivery gap after which the missing messages count as lost. */
    static final Duration QUIET = Duration.ofSeconds(2);

    /** The most latencies kept (8 bytes each); beyond, the recorder counts but does not keep them. */
    private static final int LATENCY_CAPACITY = 10_000_000;

    private final String name;
    private final int publishers;
    private final int subscribers;
    private final MqttQos qos;
    private final boolean measureLatency;
    private final long messages;
    private final Duration limit;
    private final int window;
    private final int payloadBytes;
    private final int ratePerSecond;

    /** @param ratePerSecond each publisher's pace in messages per second, or 0: unpaced (see {@link Publisher}) */
    PublishSubscribe(String name, int publishers, int subscribers, MqttQos qos, boolean measureLatency,
                     long messages, Duration limit, int window, int payloadBytes, int ratePerSecond) {
        this.name = name;
        this.publishers = publishers;
        this.subscribers = subscribers;
        this.qos = qos;
        this.measureLatency = measureLatency;
        this.messages = messages;
        this.limit = limit;
        this.window = window;
        this.payloadBytes = payloadBytes;
        this.ratePerSecond = ratePerSecond;
    }

    @Override
    public ResultLine run(Target target, Progress progress) throws Exception {
        try (Connections connections = new Connections(target)) {
            MqttTopic topic = MqttTopic.of("loadgen/" + name + "/" + connections.ids.run());
            List<Subscriber> receivers = subscribe(connections, topic);
            List<Mqtt3AsyncClient> senders = connections.connect("publisher", publishers);
            progress.log("%s: %d subscribers and %d publishers connected, topic %s; sending %,d messages (at most %d s)",
                    target.name(), subscribers, publishers, topic, messages, limit.toSeconds());

            Window measured = Window.open(target.process());
            long start = System.nanoTime();
            long deadline = start + limit.toNanos();
            List<Publisher> running = new ArrayList<>();
            List<CompletableFuture<Void>> finished = new ArrayList<>();
            for (int i = 0; i < publishers; i++) {
                long share = messages / publishers + (i < messages % publishers ? 1 : 0);
                Publisher publisher = new Publisher(senders.get(i), topic, qos, payloadBytes, share, deadline, window,
                        ratePerSecond);
                running.add(publisher);
                finished.add(publisher.start());
            }
            CompletableFuture.allOf(finished.toArray(CompletableFuture[]::new))
                    .get(limit.toSeconds() + 30, TimeUnit.SECONDS);
            long publishersDone = System.nanoTime();
            long sent = running.stream().mapToLong(p -> p.sent.get()).sum();
            long failed = running.stream().mapToLong(p -> p.failed.get()).sum();
            running.stream().map(p -> p.firstFailure.get()).filter(f -> f != null).findFirst()
                    .ifPresent(f -> progress.log("%s: %,d publishes failed, the first: %s", target.name(), failed, f));
            progress.log("%s: %,d sent in %.1f s; waiting for the deliveries", target.name(), sent,
                    (publishersDone - start) / 1e9);

            long expected = sent * subscribers;
            awaitDeliveries(receivers, expected, publishersDone + limit.toNanos());
            measured.close();

            long delivered = receivers.stream().mapToLong(r -> r.delivered.get()).sum();
            long fewest = receivers.stream().mapToLong(r -> r.delivered.get()).min().orElse(0);
            long most = receivers.stream().mapToLong(r -> r.delivered.get()).max().orElse(0);
            long last = receivers.stream().mapToLong(r -> r.lastDeliveryNanos).filter(t -> t != 0).max()
                    .orElse(publishersDone);
            double seconds = (Math.max(last, start + 1) - start) / 1e9;
            LatencyRecorder.Summary latency = measureLatency ? LatencyRecorder.summarize(receivers.stream()
                    .map(Subscriber::latency).toList()) : null;
            boolean stoppedByTime = sent + failed < messages;
            return ResultLine.deliveries(name, target, sent, delivered, expected, seconds, latency, measured,
                            fewest < sent)
                    .put("qos", qos.getCode())
                    .put("publishers", publishers)
                    .put("subscribers", subscribers)
                    .put("payloadBytes", payloadBytes)
                    .put("window", window)
                    .put("ratePerSecond", ratePerSecond > 0 ? ratePerSecond : null)
                    .put("failed", failed)
                    .put("deliveredMinPerSubscriber", fewest)
                    .put("deliveredMaxPerSubscriber", most)
                    .put("latencySamples", latency == null ? null : latency.samples())
                    .put("stoppedBy", stoppedByTime ? "time" : "messages");
        }
    }

    private List<Subscriber> subscribe(Connections connections, MqttTopic topic) throws Exception {
        List<Subscriber> receivers = new ArrayList<>();
        List<CompletableFuture<?>> subAcks = new ArrayList<>();
        for (Mqtt3AsyncClient client : connections.connect("subscriber", subscribers)) {
            LatencyRecorder latency = null;
            if (measureLatency) {
                latency = new LatencyRecorder((int) Math.min(LATENCY_CAPACITY, messages));
                latency.recording = true;
            }
            Subscriber receiver = new Subscriber(latency);
            receivers.add(receiver);
            // The callback runs on the client's Netty thread (an executor that runs it in place). Without an
            // executor the library hands messages to its application scheduler through a bounded buffer and,
            // when that thread falls behind, drops QoS 0 messages itself ("QoS 0 publish message dropped"):
            // losses the result would blame on the broker.
            subAcks.add(client.subscribeWith().topicFilter(topic.filter()).qos(qos)
                    .callback(receiver).executor(Runnable::run).send());
        }
        CompletableFuture.allOf(subAcks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        return receivers;
    }

    /** Waits until every expected delivery came, or none came for {@link #QUIET}, or the deadline passed. */
    private static void awaitDeliveries(List<Subscriber> receivers, long expected, long deadline)
            throws InterruptedException {
        long seen = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long delivered = receivers.stream().mapToLong(r -> r.delivered.get()).sum();
            long now = System.nanoTime();
            if (delivered >= expected || now - deadline >= 0) {
                return;
            }
            if (delivered != seen) {
                seen = delivered;
                lastChange = now;
            } else if (now - lastChange >= QUIET.toNanos()) {
                return;
            }
            Thread.sleep(10);
        }
    }
}
