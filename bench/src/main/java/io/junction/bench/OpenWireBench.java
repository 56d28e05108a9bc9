package io.junction.bench;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQConnectionMetaData;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The OpenWire benchmark (issue 6): Junction's OpenWire listener and ActiveMQ Artemis's OpenWire
 * acceptor, both with persistence on, driven in the same run by the same load generator, the
 * ActiveMQ JMS client (activemq-client 6.x), with identical client settings for both. Scenarios:
 * <ul>
 *   <li>{@code queue-1}, {@code queue-16}: 1 or 16 producers (each its own connection and thread)
 *       sending persistent 1 KB messages to one queue synchronously (the ActiveMQ client waits for
 *       the broker's Response to a persistent send before the next), while one consumer
 *       (AUTO_ACKNOWLEDGE) drains it: messages received per second;</li>
 *   <li>{@code async}: 1 producer sending persistent messages asynchronously
 *       ({@code jms.useAsyncSend=true}) within a producer window ({@code jms.producerWindowSize},
 *       1 MB): the client stops sending when the window is full until the broker's ProducerAcks
 *       free it; one consumer drains the queue;</li>
 *   <li>{@code fan-out}: 1 producer sending non-persistent 1 KB messages (asynchronous in the
 *       ActiveMQ client) to a topic with N non-durable subscribers, each its own connection:
 *       messages delivered per second, all subscribers together;</li>
 *   <li>{@code latency}: 1 producer sending persistent messages synchronously at a fixed rate
 *       ({@code latency-rate}, 1,000 msg/s) to one consumer: end-to-end latency percentiles.</li>
 * </ul>
 * Every message carries its send time ({@link System#nanoTime()} just before {@code send}, producer
 * and consumer being in this JVM), so every scenario also reports the latency measured at the
 * consumer. Junction runs in this JVM, Artemis in its own (bench/artemis-peer). Each run uses
 * destinations of its own, measures a window after a warm-up, then stops the producers and waits
 * until the consumers have everything that was sent. The runs alternate Junction / Artemis and are
 * repeated; the tables give the median.
 *
 * <p>A broker that fails a scenario fails that run only, within bounded time: a producer that does
 * not return from {@code send} within {@code stall-seconds} of being told to stop (a synchronous
 * send without its Response, an asynchronous one waiting for window space that no ProducerAck
 * frees) is reported as stalled and interrupted, and a run that does not finish in its time budget
 * is abandoned (its connections closed). The tables then say FAILED and the failures are listed.
 *
 * <p>Options ({@code --name=value}): {@code artemis-classpath} (no Artemis rows without it),
 * {@code artemis-heap} (1g), {@code seconds} (measured window, 5), {@code warmup-seconds} (2),
 * {@code repetitions} (3), {@code subscribers} (of the fan-out, 10), {@code producer-window}
 * (bytes, of the async scenario, 1048576), {@code latency-rate} (msg/s, 1000), {@code stall-seconds}
 * (10), {@code fsync-seconds} (2: the raw fsync probe that gives Artemis its journal-buffer-timeout,
 * as in {@link Bench}), {@code scenarios} (comma-separated, default all).
 */
public final class OpenWireBench {

    private static final Set<String> OPTIONS = Set.of("artemis-classpath", "artemis-heap", "seconds",
            "warmup-seconds", "repetitions", "subscribers", "producer-window", "latency-rate", "stall-seconds",
            "fsync-seconds", "scenarios");
    private static final byte[] BODY = SendLoad.BODY;
    /** The message property that carries the send time, in {@link System#nanoTime()} of this JVM. */
    private static final String SENT_AT = "benchSentNanos";
    /** Threads of the ActiveMQ client (transport, connection executor, session tasks, inactivity monitor). */
    private static final Predicate<String> CLIENT_THREADS = name -> name.startsWith(BrokerProbe.LOAD_GENERATOR_THREADS)
            || name.startsWith("ActiveMQ");
    /** Latency samples kept per run at most (a sample is 8 bytes). */
    private static final int MAX_SAMPLES = 4_000_000;
    private static final Progress PROGRESS = new Progress("openwire-bench");

    /**
     * @param asyncWindow producer window in bytes with {@code useAsyncSend}, 0 for the client's defaults
     * @param rate        messages per second per producer, 0 for as fast as the sends return
     */
    record Scenario(String name, String title, boolean topic, boolean persistent, int producers, int consumers,
                    int asyncWindow, int rate) {
        String uriOptions() {
            return asyncWindow == 0 ? "" : "?jms.useAsyncSend=true&jms.producerWindowSize=" + asyncWindow;
        }
    }

    record Latency(long samples, double p50Millis, double p99Millis, double p999Millis, double maxMillis) {
        static final Latency NONE = new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** One run; a failed one has no flow, no latency and says why it failed. */
    record Run(String broker, Scenario scenario, String tag, MessageFlow.Result flow, Latency latency, String failure)
            implements FlowTable.Run {

        boolean failed() {
            return failure != null;
        }

        static Run failed(String broker, Scenario scenario, String tag, String failure) {
            return new Run(broker, scenario, tag, null, Latency.NONE, failure);
        }
    }

    private OpenWireBench() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, OPTIONS);
        SideBySideBrokers.Schedule schedule = SideBySideBrokers.Schedule.of(options);
        int subscribers = options.integer("subscribers", 10);
        int producerWindow = options.integer("producer-window", 1048576);
        int latencyRate = options.integer("latency-rate", 1000);
        Duration stall = options.seconds("stall-seconds", 10);
        List<Scenario> scenarios = new ArrayList<>(List.of(
                new Scenario("queue-1", "persistent queue, 1 producer (sync) -> 1 consumer", false, true, 1, 1, 0, 0),
                new Scenario("queue-16", "persistent queue, 16 producers (sync) -> 1 consumer", false, true, 16, 1,
                        0, 0),
                new Scenario("async", String.format("persistent queue, 1 producer (async, %s window) -> 1 consumer",
                        bytes(producerWindow)), false, true, 1, 1, producerWindow, 0),
                new Scenario("fan-out", "non-persistent topic, 1 producer -> " + subscribers + " subscribers", true,
                        false, 1, subscribers, 0, 0),
                new Scenario("latency", String.format("persistent queue, 1 producer (sync) at %,d msg/s -> 1 consumer",
                        latencyRate), false, true, 1, 1, 0, latencyRate)));
        if (options.has("scenarios")) {
            List<String> wanted = List.of(options.get("scenarios").split(","));
            for (String name : wanted) {
                if (scenarios.stream().noneMatch(s -> s.name().equals(name))) {
                    throw new IllegalArgumentException("unknown scenario " + name + "; the scenarios are "
                            + scenarios.stream().map(Scenario::name).toList());
                }
            }
            scenarios.removeIf(s -> !wanted.contains(s.name()));
        }

        StringBuilder out = new StringBuilder();
        SideBySideBrokers.Runs<Run> runs;
        try (TempDirectory root = new TempDirectory("junction-openwire-bench-");
             SideBySideBrokers brokers = SideBySideBrokers.start(root, "openwire", options, CLIENT_THREADS,
                     PROGRESS)) {
            out.append(brokers.header("OpenWire", "ActiveMQ client"));
            runs = brokers.alternate(scenarios, schedule,
                    (broker, scenario, tag, runWarmUp, runWindow) -> supervised(broker, scenario, tag, runWarmUp,
                            runWindow, stall));
        }
        out.append('\n').append(String.format("ActiveMQ client %s (OpenWire), the same URI options for both brokers, "
                        + "1 KB BytesMessages, each producer and consumer its own connection. Sync: persistent sends "
                        + "wait for the broker's Response (given after its fsync). Async: jms.useAsyncSend=true and "
                        + "jms.producerWindowSize=%d (the client waits for window space, freed by the broker's "
                        + "ProducerAcks). Fan-out: non-persistent sends (asynchronous, default client settings), "
                        + "non-durable subscribers. Consumers AUTO_ACKNOWLEDGE, default prefetch. Each run: %d s "
                        + "warm-up, %d s measured; median of %d runs (by delivered msg/s, by p99 for the paced latency "
                        + "scenario), brokers alternating (min-max in brackets). Broker CPU: Junction, its JVM less "
                        + "the load generator's threads; Artemis, its process; per delivered message. Backlog: sent x "
                        + "subscribers - delivered at the window's end; drain: time after the producers stop until "
                        + "every message is delivered. Fsyncs/msg and records/fsync: Junction's journal over the "
                        + "window; Artemis does not expose them. Latency: consumer's receive time - the send time "
                        + "carried in the message, over the messages received in the window.%n%n",
                ActiveMQConnectionMetaData.PROVIDER_VERSION, producerWindow, schedule.warmUp().toSeconds(),
                schedule.window().toSeconds(), schedule.repetitions()));
        out.append(throughputTable(scenarios, runs.measured())).append('\n')
                .append(latencyTable(scenarios, runs.measured()));
        List<Run> failures = new ArrayList<>(runs.warmUp());
        failures.addAll(runs.measured());
        failures.removeIf(r -> !r.failed());
        if (!failures.isEmpty()) {
            out.append("\nFailures:\n\n");
            for (Run failure : failures) {
                out.append(String.format("- %s, %s, run %s: %s%n", failure.broker(), failure.scenario().name(),
                        failure.tag().equals("warm") ? "warm-up" : failure.tag(), failure.failure()));
            }
        }
        System.out.println(out);
    }

    private static String throughputTable(List<Scenario> scenarios, List<Run> runs) {
        FlowTable table = new FlowTable();
        for (Scenario scenario : scenarios) {
            table.add(scenario.title(), runs.stream().filter(r -> r.scenario() == scenario).toList(),
                    medianOrder(scenario));
        }
        return table.render();
    }

    private static String latencyTable(List<Scenario> scenarios, List<Run> runs) {
        Table table = new Table("scenario", "broker", "sent msg/s", "latency p50", "p99", "p99.9", "max",
                "samples", "Junction / Artemis p50, p99");
        List<Scenario> order = new ArrayList<>(scenarios);
        order.sort(Comparator.comparing(s -> s.rate() == 0)); // the paced scenario first
        for (Scenario scenario : order) {
            Run junctionMedian = median(runs, SideBySideBrokers.JUNCTION, scenario);
            Run artemisMedian = median(runs, SideBySideBrokers.ARTEMIS, scenario);
            for (Run median : new Run[] {junctionMedian, artemisMedian}) {
                if (median == null) {
                    continue;
                }
                Latency l = median.latency();
                String ratio = median == junctionMedian && artemisMedian != null
                        && artemisMedian.latency().samples() > 0 && l.samples() > 0
                        ? String.format("%.2f, %.2f", l.p50Millis() / artemisMedian.latency().p50Millis(),
                        l.p99Millis() / artemisMedian.latency().p99Millis()) : "";
                table.row(scenario.title(), median.broker(), String.format("%,.0f", median.flow().sent()),
                        millis(l.p50Millis()), millis(l.p99Millis()), millis(l.p999Millis()), millis(l.maxMillis()),
                        String.format("%,d", l.samples()), ratio);
            }
        }
        return table.render();
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "-" : value < 10 ? String.format("%.2f ms", value) : String.format("%,.0f ms", value);
    }

    private static String bytes(int size) {
        return size % (1 << 20) == 0 ? (size >> 20) + " MB" : size % 1024 == 0 ? (size >> 10) + " KB" : size + " B";
    }

    /** How the median run is chosen: by delivered msg/s, or by p99 latency for a paced scenario. */
    private static Comparator<Run> medianOrder(Scenario scenario) {
        return scenario.rate() == 0 ? Comparator.comparingDouble(r -> r.flow().delivered())
                : Comparator.comparingDouble(r -> r.latency().p99Millis());
    }

    /** The median successful run, null if none. */
    private static Run median(List<Run> runs, String broker, Scenario scenario) {
        return FlowTable.median(runs.stream().filter(r -> r.scenario() == scenario).toList(), broker,
                medianOrder(scenario));
    }

    /**
     * One run in a thread of its own, abandoned (its connections closed, its threads interrupted) if
     * it has not finished within a budget well beyond what a working broker needs.
     */
    private static Run supervised(SideBySideBrokers.Target broker, Scenario scenario, String tag, Duration warmUp,
                                  Duration window, Duration stall) throws InterruptedException {
        PROGRESS.log("%s %s %s", broker.name(), scenario.name(), tag);
        RunState state = new RunState();
        FutureTask<Run> task = new FutureTask<>(() -> run(state, broker, scenario, tag, warmUp, window, stall));
        Thread thread = new Thread(task, BrokerProbe.LOAD_GENERATOR_THREADS + "openwire-run");
        thread.setDaemon(true);
        thread.start();
        long budget = warmUp.toMillis() + window.toMillis() + 2 * stall.toMillis() + MessageFlow.DRAIN_TIMEOUT.toMillis()
                + 60_000;
        Run result;
        try {
            result = task.get(budget, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            result = Run.failed(broker.name(), scenario, tag, describe(cause));
        } catch (TimeoutException e) {
            result = Run.failed(broker.name(), scenario, tag, String.format("did not finish within %d s (at: %s); "
                    + "abandoned", budget / 1000, state.phase));
            state.abort();
            thread.interrupt();
            thread.join(30_000);
        }
        if (result.failed()) {
            PROGRESS.log("%s %s %s FAILED: %s", broker.name(), scenario.name(), tag, result.failure());
        }
        return result;
    }

    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return text.toString();
    }

    /** What a run has opened, so that its supervisor can close it, and where it is. */
    private static final class RunState {
        final List<Connection> connections = new CopyOnWriteArrayList<>();
        final List<LoadThread> consumers = new CopyOnWriteArrayList<>();
        final List<LoadThread> producers = new CopyOnWriteArrayList<>();
        volatile String phase = "connecting";

        void abort() {
            consumers.forEach(Thread::interrupt);
            producers.forEach(Thread::interrupt);
            closeAll(connections);
        }
    }

    /** Closes every connection, each in a thread of its own, waiting for them up to 30 s in all. */
    private static void closeAll(List<Connection> connections) {
        List<Thread> closers = new ArrayList<>();
        for (Connection connection : connections) {
            Thread closer = new Thread(() -> {
                try {
                    connection.close();
                } catch (JMSException | RuntimeException e) {
                    PROGRESS.log("closing a connection: %s", e);
                }
            }, BrokerProbe.LOAD_GENERATOR_THREADS + "openwire-close");
            closer.setDaemon(true);
            closer.start();
            closers.add(closer);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread closer : closers) {
            try {
                closer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One run of a scenario on one broker, on destinations of its own. */
    private static Run run(RunState state, SideBySideBrokers.Target broker, Scenario scenario, String tag,
                           Duration warmUp, Duration window, Duration stall) throws Exception {
        String address = "bench.openwire." + scenario.name() + "." + tag;
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + broker.port()
                + scenario.uriOptions());
        AtomicBoolean stop = new AtomicBoolean();
        MessageFlow flow = new MessageFlow();
        LatencyRecorder latencies = new LatencyRecorder();
        try {
            for (int i = 0; i < scenario.consumers(); i++) {
                Session session = openSession(factory, state);
                MessageConsumer consumer = session.createConsumer(destination(session, scenario, address));
                state.consumers.add(new LoadThread("openwire-consumer-" + i, stop, () -> {
                    Message message = consumer.receive(100);
                    if (message != null) {
                        long now = System.nanoTime();
                        flow.delivered.increment();
                        latencies.record(now - message.getLongProperty(SENT_AT));
                    }
                }));
            }
            for (int i = 0; i < scenario.producers(); i++) {
                Session session = openSession(factory, state);
                MessageProducer producer = session.createProducer(destination(session, scenario, address));
                producer.setDeliveryMode(scenario.persistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(BODY);
                long interval = scenario.rate() == 0 ? 0 : 1_000_000_000L / scenario.rate();
                long[] next = {System.nanoTime()};
                state.producers.add(new LoadThread("openwire-producer-" + i, stop, () -> {
                    if (interval > 0) {
                        next[0] += interval;
                        long wait = next[0] - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        } else if (-wait > interval) {
                            next[0] = System.nanoTime(); // behind: no burst to catch up
                        }
                    }
                    // The client copies the message on send, so this one stays writable.
                    message.setLongProperty(SENT_AT, System.nanoTime());
                    producer.send(message);
                    flow.sent.increment();
                }));
            }
            state.phase = "warm-up";
            state.consumers.forEach(Thread::start);
            state.producers.forEach(Thread::start);
            Thread.sleep(warmUp.toMillis());
            MessageFlow.Mark start = flow.mark(broker.probe());
            latencies.start();
            state.phase = "measured window";
            Thread.sleep(window.toMillis());
            latencies.stop();
            MessageFlow.Mark end = flow.mark(broker.probe());
            int copies = scenario.topic() ? scenario.consumers() : 1;

            // Stop the producers. One that does not come back from send() in time is stalled: the
            // broker has not answered it (no Response, or no ProducerAck to free the window).
            state.phase = "stopping the producers";
            List<String> stalled = new ArrayList<>();
            state.producers.forEach(LoadThread::stopRepeating);
            long stopDeadline = System.nanoTime() + stall.toNanos();
            for (LoadThread producer : state.producers) {
                producer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(stopDeadline - System.nanoTime())));
                if (producer.isAlive()) {
                    stalled.add(String.format("%s blocked in send() for %.1f s after %,d sends", producer.label(),
                            producer.stepNanos() / 1e9, producer.steps()));
                    producer.interrupt();
                } else {
                    producer.check();
                }
            }
            for (LoadThread producer : state.producers) {
                if (producer.isAlive()) {
                    producer.join(10_000);
                }
            }

            state.phase = "draining";
            MessageFlow.Drained drained = flow.drain(copies);
            stop.set(true);
            for (LoadThread consumer : state.consumers) {
                consumer.join(30_000);
                consumer.check();
            }
            if (!stalled.isEmpty()) {
                return Run.failed(broker.name(), scenario, tag, String.format("stalled: %s, waiting for the broker (a "
                                + "synchronous send for its Response, an asynchronous one for a ProducerAck to free "
                                + "the producer window); %,d messages sent in all, %,d in the %.0f s window; %s",
                        String.join("; ", stalled), flow.sent.sum(), end.sent() - start.sent(),
                        end.secondsSince(start), drained.undelivered() == 0 ? "every message sent was delivered"
                                : String.format("%,d sent but not delivered", drained.undelivered())));
            }
            return new Run(broker.name(), scenario, tag, MessageFlow.Result.of(start, end, copies, drained),
                    latencies.summary(), null);
        } finally {
            stop.set(true);
            state.phase = "closing";
            for (LoadThread producer : state.producers) {
                if (producer.isAlive()) {
                    producer.interrupt();
                }
            }
            closeAll(state.connections);
            for (LoadThread thread : state.consumers) {
                thread.join(10_000);
            }
            for (LoadThread thread : state.producers) {
                thread.join(10_000);
            }
        }
    }

    /** A connection of the run's own, started, and a session on it. */
    private static Session openSession(ConnectionFactory factory, RunState state) throws JMSException {
        Connection connection = factory.createConnection();
        state.connections.add(connection);
        connection.start();
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    private static Destination destination(Session session, Scenario scenario, String address) throws JMSException {
        return scenario.topic() ? session.createTopic(address) : session.createQueue(address);
    }

    /** Latencies of the messages received while recording, in nanoseconds. */
    private static final class LatencyRecorder {
        private long[] samples = new long[1 << 16];
        private int count;
        private long dropped;
        private volatile boolean recording;

        void start() {
            recording = true;
        }

        void stop() {
            recording = false;
        }

        void record(long nanos) {
            if (!recording) {
                return;
            }
            synchronized (this) {
                if (count == samples.length) {
                    if (count >= MAX_SAMPLES) {
                        dropped++;
                        return;
                    }
                    samples = Arrays.copyOf(samples, Math.min(MAX_SAMPLES, count * 2));
                }
                samples[count++] = nanos;
            }
        }

        synchronized Latency summary() {
            if (count == 0) {
                return Latency.NONE;
            }
            long[] sorted = Arrays.copyOf(samples, count);
            Arrays.sort(sorted);
            return new Latency(count + dropped, at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999),
                    sorted[count - 1] / 1e6);
        }

        private static double at(long[] sorted, double quantile) {
            int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1e6;
        }
    }
}
