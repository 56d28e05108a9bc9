package io.junction.bench;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
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
    private static final long DRAIN_TIMEOUT_MS = 60_000;
    /** Latency samples kept per run at most (a sample is 8 bytes). */
    private static final int MAX_SAMPLES = 4_000_000;

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

    record Run(String broker, Scenario scenario, String tag, double delivered, double sent, double brokerCpuMicros,
               double machineBusy, long backlog, long undelivered, double drainSeconds, long forces, long records,
               long deliveredInWindow, Latency latency, String failure) {

        boolean failed() {
            return failure != null;
        }

        static Run failed(String broker, Scenario scenario, String tag, String failure) {
            return new Run(broker, scenario, tag, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, Double.NaN,
                    0, 0, 0, Latency.NONE, failure);
        }

        String forcesPerMessage() {
            return forces == 0 || deliveredInWindow == 0 ? "-" : String.format("%.2f", (double) forces / deliveredInWindow);
        }

        String recordsPerForce() {
            return forces == 0 ? "-" : String.format("%.1f", (double) records / forces);
        }
    }

    private OpenWireBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Duration window = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "5")));
        Duration warmUp = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup-seconds", "2")));
        int repetitions = Integer.parseInt(options.getOrDefault("repetitions", "3"));
        int subscribers = Integer.parseInt(options.getOrDefault("subscribers", "10"));
        int producerWindow = Integer.parseInt(options.getOrDefault("producer-window", "1048576"));
        int latencyRate = Integer.parseInt(options.getOrDefault("latency-rate", "1000"));
        Duration stall = Duration.ofSeconds(Long.parseLong(options.getOrDefault("stall-seconds", "10")));
        Duration fsyncWindow = Duration.ofSeconds(Long.parseLong(options.getOrDefault("fsync-seconds", "2")));
        String artemisClasspath = options.get("artemis-classpath");
        String artemisHeap = options.getOrDefault("artemis-heap", "1g");
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
        if (options.containsKey("scenarios")) {
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
        List<Run> runs = new ArrayList<>();
        List<Run> warmUps = new ArrayList<>();
        try (TempDirectory root = new TempDirectory("junction-openwire-bench-")) {
            progress("background load (2 s)");
            MachineCpu before = MachineCpu.sample();
            Thread.sleep(2000);
            MachineCpu after = MachineCpu.sample();
            String background = String.format("%s of both cores busy in the 2 s before the run, load average %s",
                    Report.percent(after == null ? Double.NaN : after.busySince(before)), MachineCpu.loadAverage());
            progress("raw fsync rate (%d s), for Artemis's journal-buffer-timeout", fsyncWindow.toSeconds());
            double fsyncRate = FsyncProbe.measure(root.path(), fsyncWindow);
            long bufferTimeout = Math.round(1e9 / fsyncRate);

            try (EmbeddedJunction junction = EmbeddedJunction.start(root.resolve("junction"), "openwire");
                 ArtemisProcess artemis = artemisClasspath == null ? null
                         : ArtemisProcess.start(artemisClasspath, artemisHeap, root.resolve("artemis"), bufferTimeout)) {
                BrokerProbe junctionProbe = BrokerProbe.inProcess(junction.store(), CLIENT_THREADS);
                out.append(String.format("JVM: %s %s, %d cores; Junction and the load generator (ActiveMQ client) in "
                                + "one JVM, max heap %d MB%n", System.getProperty("java.vm.name"),
                        System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().maxMemory() >> 20));
                out.append(String.format("Junction: OpenWire listener 127.0.0.1:%d, store.fsync always, other "
                        + "settings default%n", junction.openWirePort()));
                if (artemis != null) {
                    out.append(String.format("Artemis: %s, persistence on, journal-buffer-timeout %d ns (1 / raw "
                                    + "fsync rate %,.0f/s), OpenWire acceptor 127.0.0.1:%d, -Xmx%s%n",
                            artemis.description(), bufferTimeout, fsyncRate, artemis.openWirePort(), artemisHeap));
                }
                out.append("Other processes: ").append(background).append('\n');

                // Unmeasured: lets both JVMs compile the hot paths before the first measured run.
                progress("JIT warm-up");
                for (Scenario scenario : scenarios) {
                    warmUps.add(supervised("junction", junction.openWirePort(), junctionProbe, scenario, "warm",
                            Duration.ZERO, Duration.ofSeconds(2), stall));
                    if (artemis != null) {
                        warmUps.add(supervised("artemis", artemis.openWirePort(), artemis.probe(), scenario, "warm",
                                Duration.ZERO, Duration.ofSeconds(2), stall));
                    }
                }
                for (int repetition = 1; repetition <= repetitions; repetition++) {
                    for (Scenario scenario : scenarios) {
                        runs.add(supervised("junction", junction.openWirePort(), junctionProbe, scenario,
                                "r" + repetition, warmUp, window, stall));
                        if (artemis != null) {
                            runs.add(supervised("artemis", artemis.openWirePort(), artemis.probe(), scenario,
                                    "r" + repetition, warmUp, window, stall));
                        }
                    }
                }
            }
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
                ActiveMQConnectionMetaData.PROVIDER_VERSION, producerWindow, warmUp.toSeconds(), window.toSeconds(),
                repetitions));
        out.append(throughputTable(scenarios, runs)).append('\n').append(latencyTable(scenarios, runs));
        List<Run> failures = new ArrayList<>(warmUps);
        failures.addAll(runs);
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
        Table table = new Table("scenario", "broker", "delivered msg/s (median, min-max)", "sent msg/s",
                "broker CPU us/msg", "fsyncs/msg", "records/fsync", "machine busy", "backlog at end", "drain",
                "Junction / Artemis");
        for (Scenario scenario : scenarios) {
            Run junctionMedian = median(runs, "junction", scenario);
            Run artemisMedian = median(runs, "artemis", scenario);
            for (String broker : new String[] {"junction", "artemis"}) {
                List<Run> all = runs.stream().filter(r -> r.broker().equals(broker) && r.scenario() == scenario)
                        .toList();
                if (all.isEmpty()) {
                    continue;
                }
                Run median = broker.equals("junction") ? junctionMedian : artemisMedian;
                long failed = all.stream().filter(Run::failed).count();
                if (median == null) {
                    table.row(scenario.title(), broker, String.format("FAILED (%d of %d runs, see below)", failed,
                            all.size()), "-", "-", "-", "-", "-", "-", "-", "");
                    continue;
                }
                List<Run> ok = all.stream().filter(r -> !r.failed()).toList();
                double min = ok.stream().mapToDouble(Run::delivered).min().orElse(Double.NaN);
                double max = ok.stream().mapToDouble(Run::delivered).max().orElse(Double.NaN);
                String ratio = median == junctionMedian && artemisMedian != null
                        ? String.format("%.2f", junctionMedian.delivered() / artemisMedian.delivered()) : "";
                table.row(scenario.title(), broker,
                        String.format("%,.0f (%,.0f-%,.0f)%s", median.delivered(), min, max,
                                failed > 0 ? String.format("; FAILED %d of %d runs", failed, all.size()) : ""),
                        String.format("%,.0f", median.sent()),
                        String.format("%.1f", median.brokerCpuMicros()), median.forcesPerMessage(),
                        median.recordsPerForce(), Report.percent(median.machineBusy()),
                        String.format("%,d", median.backlog()),
                        median.undelivered() > 0 ? String.format("%,d not delivered in %d s", median.undelivered(),
                                DRAIN_TIMEOUT_MS / 1000) : String.format("%.1f s", median.drainSeconds()),
                        ratio);
            }
        }
        return table.render();
    }

    private static String latencyTable(List<Scenario> scenarios, List<Run> runs) {
        Table table = new Table("scenario", "broker", "sent msg/s", "latency p50", "p99", "p99.9", "max",
                "samples", "Junction / Artemis p50, p99");
        List<Scenario> order = new ArrayList<>(scenarios);
        order.sort(Comparator.comparing(s -> s.rate() == 0)); // the paced scenario first
        for (Scenario scenario : order) {
            Run junctionMedian = median(runs, "junction", scenario);
            Run artemisMedian = median(runs, "artemis", scenario);
            for (Run median : new Run[] {junctionMedian, artemisMedian}) {
                if (median == null) {
                    continue;
                }
                Latency l = median.latency();
                String ratio = median == junctionMedian && artemisMedian != null
                        && artemisMedian.latency().samples() > 0 && l.samples() > 0
                        ? String.format("%.2f, %.2f", l.p50Millis() / artemisMedian.latency().p50Millis(),
                        l.p99Millis() / artemisMedian.latency().p99Millis()) : "";
                table.row(scenario.title(), median.broker(), String.format("%,.0f", median.sent()),
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

    /** The median successful run: by delivered msg/s, or by p99 latency for a paced scenario; null if none. */
    private static Run median(List<Run> runs, String broker, Scenario scenario) {
        Comparator<Run> order = scenario.rate() == 0 ? Comparator.comparingDouble(Run::delivered)
                : Comparator.comparingDouble(r -> r.latency().p99Millis());
        List<Run> mine = runs.stream().filter(r -> r.broker().equals(broker) && r.scenario() == scenario
                && !r.failed()).sorted(order).toList();
        return mine.isEmpty() ? null : mine.get(mine.size() / 2);
    }

    /**
     * One run in a thread of its own, abandoned (its connections closed, its threads interrupted) if
     * it has not finished within a budget well beyond what a working broker needs.
     */
    private static Run supervised(String broker, int port, BrokerProbe probe, Scenario scenario, String tag,
                                  Duration warmUp, Duration window, Duration stall) throws InterruptedException {
        progress("%s %s %s", broker, scenario.name(), tag);
        RunState state = new RunState();
        FutureTask<Run> task = new FutureTask<>(() -> run(state, broker, port, probe, scenario, tag, warmUp, window,
                stall));
        Thread thread = new Thread(task, BrokerProbe.LOAD_GENERATOR_THREADS + "openwire-run");
        thread.setDaemon(true);
        thread.start();
        long budget = warmUp.toMillis() + window.toMillis() + 2 * stall.toMillis() + DRAIN_TIMEOUT_MS + 60_000;
        Run result;
        try {
            result = task.get(budget, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            result = Run.failed(broker, scenario, tag, describe(cause));
        } catch (TimeoutException e) {
            result = Run.failed(broker, scenario, tag, String.format("did not finish within %d s (at: %s); "
                    + "abandoned", budget / 1000, state.phase));
            state.abort();
            thread.interrupt();
            thread.join(30_000);
        }
        if (result.failed()) {
            progress("%s %s %s FAILED: %s", broker, scenario.name(), tag, result.failure());
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
        final List<Worker> workers = new CopyOnWriteArrayList<>();
        volatile String phase = "connecting";

        void abort() {
            for (Worker worker : workers) {
                worker.interrupt();
            }
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
                    progress("closing a connection: %s", e);
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
    private static Run run(RunState state, String broker, int port, BrokerProbe probe, Scenario scenario, String tag,
                           Duration warmUp, Duration window, Duration stall) throws Exception {
        String address = "bench.openwire." + scenario.name() + "." + tag;
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port
                + scenario.uriOptions());
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder sent = new LongAdder();
        LongAdder delivered = new LongAdder();
        LatencyRecorder latencies = new LatencyRecorder();
        List<Worker> workers = state.workers;
        try {
            for (int i = 0; i < scenario.consumers(); i++) {
                Connection connection = factory.createConnection();
                state.connections.add(connection);
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(destination(session, scenario, address));
                workers.add(new Worker("consumer-" + i, stop, () -> {
                    Message message = consumer.receive(100);
                    if (message != null) {
                        long now = System.nanoTime();
                        delivered.increment();
                        latencies.record(now - message.getLongProperty(SENT_AT));
                    }
                }, true));
            }
            for (int i = 0; i < scenario.producers(); i++) {
                Connection connection = factory.createConnection();
                state.connections.add(connection);
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(destination(session, scenario, address));
                producer.setDeliveryMode(scenario.persistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(BODY);
                long interval = scenario.rate() == 0 ? 0 : 1_000_000_000L / scenario.rate();
                long[] next = {System.nanoTime()};
                workers.add(new Worker("producer-" + i, stop, () -> {
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
                    sent.increment();
                }, false));
            }
            state.phase = "warm-up";
            workers.forEach(Thread::start);
            Thread.sleep(warmUp.toMillis());
            long sentBefore = sent.sum();
            long deliveredBefore = delivered.sum();
            long cpuBefore = probe.cpuNanos().getAsLong();
            long forcesBefore = probe.journalForces().getAsLong();
            long recordsBefore = probe.journalRecords().getAsLong();
            MachineCpu machineBefore = MachineCpu.sample();
            long start = System.nanoTime();
            latencies.start();
            state.phase = "measured window";
            Thread.sleep(window.toMillis());
            latencies.stop();
            long sentAfter = sent.sum();
            long deliveredAfter = delivered.sum();
            long cpuAfter = probe.cpuNanos().getAsLong();
            long forces = probe.journalForces().getAsLong() - forcesBefore;
            long records = probe.journalRecords().getAsLong() - recordsBefore;
            double seconds = (System.nanoTime() - start) / 1e9;
            MachineCpu machineAfter = MachineCpu.sample();
            int copies = scenario.topic() ? scenario.consumers() : 1;

            // Stop the producers. One that does not come back from send() in time is stalled: the
            // broker has not answered it (no Response, or no ProducerAck to free the window).
            state.phase = "stopping the producers";
            List<String> stalled = new ArrayList<>();
            for (Worker worker : workers) {
                if (!worker.consumer) {
                    worker.stopping.set(true);
                }
            }
            long stopDeadline = System.nanoTime() + stall.toNanos();
            for (Worker worker : workers) {
                if (worker.consumer) {
                    continue;
                }
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(stopDeadline - System.nanoTime())));
                if (worker.isAlive()) {
                    long blockedFor = worker.stepStarted == 0 ? 0 : System.nanoTime() - worker.stepStarted;
                    stalled.add(String.format("%s blocked in send() for %.1f s after %,d sends", worker.getName()
                            .substring(BrokerProbe.LOAD_GENERATOR_THREADS.length()), blockedFor / 1e9, worker.steps));
                    worker.interrupt();
                } else {
                    worker.check();
                }
            }
            for (Worker worker : workers) {
                if (!worker.consumer && worker.isAlive()) {
                    worker.join(10_000);
                }
            }

            state.phase = "draining";
            long drainStart = System.nanoTime();
            long expected = sent.sum() * copies;
            long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
            while (delivered.sum() < expected && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            long undelivered = Math.max(0, expected - delivered.sum());
            stop.set(true);
            for (Worker worker : workers) {
                if (worker.consumer) {
                    worker.join(30_000);
                    worker.check();
                }
            }
            if (!stalled.isEmpty()) {
                return Run.failed(broker, scenario, tag, String.format("stalled: %s, waiting for the broker (a "
                                + "synchronous send for its Response, an asynchronous one for a ProducerAck to free "
                                + "the producer window); %,d messages sent in all, %,d in the %.0f s window; %s",
                        String.join("; ", stalled), sent.sum(), sentAfter - sentBefore, seconds,
                        undelivered == 0 ? "every message sent was delivered"
                                : String.format("%,d sent but not delivered", undelivered)));
            }
            long deliveredInWindow = deliveredAfter - deliveredBefore;
            return new Run(broker, scenario, tag, deliveredInWindow / seconds, (sentAfter - sentBefore) / seconds,
                    deliveredInWindow > 0 ? (cpuAfter - cpuBefore) / 1000.0 / deliveredInWindow : Double.NaN,
                    machineAfter == null ? Double.NaN : machineAfter.busySince(machineBefore),
                    Math.max(0, sentAfter * copies - deliveredAfter), undelivered, drainSeconds, forces, records,
                    deliveredInWindow, latencies.summary(), null);
        } finally {
            stop.set(true);
            state.phase = "closing";
            for (Worker worker : workers) {
                if (worker.isAlive() && !worker.consumer) {
                    worker.interrupt();
                }
            }
            closeAll(state.connections);
            for (Worker worker : workers) {
                worker.join(10_000);
            }
        }
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

    private interface Step {
        void run() throws JMSException;
    }

    /** A load-generator thread repeating one step (a send or a receive) until told to stop. */
    private static final class Worker extends Thread {
        private final AtomicBoolean stop;
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final Step step;
        private final boolean consumer;
        /** {@link System#nanoTime()} when the current step began, 0 between steps. */
        private volatile long stepStarted;
        private volatile long steps;
        private volatile Exception failure;

        Worker(String name, AtomicBoolean stop, Step step, boolean consumer) {
            super(BrokerProbe.LOAD_GENERATOR_THREADS + "openwire-" + name);
            this.stop = stop;
            this.step = step;
            this.consumer = consumer;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!stop.get() && !stopping.get()) {
                    stepStarted = System.nanoTime();
                    step.run();
                    stepStarted = 0;
                    steps++;
                }
            } catch (Exception e) {
                if (!stop.get() && !stopping.get()) {
                    failure = e;
                }
            }
        }

        void check() throws Exception {
            if (failure != null) {
                throw new Exception(getName() + " failed", failure);
            }
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            String name = equals < 0 ? "" : arg.substring(2, equals);
            if (!arg.startsWith("--") || !OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown argument " + arg + "; the options are --name=value with "
                        + "a name among " + OPTIONS);
            }
            options.put(name, arg.substring(equals + 1));
        }
        return options;
    }

    private static void progress(String format, Object... args) {
        System.err.printf("[openwire-bench] " + format + "%n", args);
    }
}
