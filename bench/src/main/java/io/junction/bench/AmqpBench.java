package io.junction.bench;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.qpid.jms.JmsConnectionFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The AMQP 1.0 benchmark (issue 5): Junction's AMQP listener and ActiveMQ Artemis's AMQP acceptor,
 * both with persistence on, driven in the same run by the same load generator, Apache Qpid JMS.
 * Scenarios:
 * <ul>
 *   <li>{@code queue-1}, {@code queue-16}: 1 or 16 producers (each its own connection and thread)
 *       sending persistent 1 KB messages to one queue, synchronously (Qpid JMS waits for the
 *       broker's {@code accepted} of a persistent send before the next), while 1 or 4 consumers
 *       (AUTO_ACKNOWLEDGE, each its own connection) drain it: messages received per second;</li>
 *   <li>{@code fan-out}: 1 producer sending non-persistent 1 KB messages to a topic (asynchronously,
 *       as Qpid JMS sends non-persistent messages: bounded by the link credit the broker grants)
 *       with N non-durable subscribers, each its own connection: messages delivered per second, all
 *       subscribers together.</li>
 * </ul>
 * Junction runs in this JVM, Artemis in its own (bench/artemis-peer). Each run uses destinations of
 * its own, measures a window after a warm-up, then stops the producers and waits until the
 * consumers have everything that was sent (so no backlog carries into the next run). The runs
 * alternate Junction / Artemis and are repeated; the table gives the median.
 *
 * <p>Options ({@code --name=value}): {@code artemis-classpath} (no Artemis rows without it),
 * {@code artemis-heap} (1g), {@code seconds} (measured window, 5), {@code warmup-seconds} (2),
 * {@code repetitions} (3), {@code subscribers} (of the fan-out, 10), {@code fsync-seconds} (2: the
 * raw fsync probe that gives Artemis its journal-buffer-timeout, as in {@link Bench}),
 * {@code scenarios} (comma-separated, default all).
 */
public final class AmqpBench {

    private static final Set<String> OPTIONS = Set.of("artemis-classpath", "artemis-heap", "seconds",
            "warmup-seconds", "repetitions", "subscribers", "fsync-seconds", "scenarios");
    private static final byte[] BODY = SendLoad.BODY;
    /** Threads of Qpid JMS (its connection executors and Netty I/O threads) belong to the load generator. */
    private static final Predicate<String> CLIENT_THREADS = name -> name.startsWith(BrokerProbe.LOAD_GENERATOR_THREADS)
            || name.startsWith("QpidJMS") || name.startsWith("AmqpProvider");
    private static final long DRAIN_TIMEOUT_MS = 60_000;

    record Scenario(String name, String title, boolean topic, int producers, int consumers) {
    }

    record Run(String broker, Scenario scenario, double delivered, double sent, double brokerCpuMicros,
               double machineBusy, long backlog, long undelivered, double drainSeconds, long forces,
               long records, long deliveredInWindow) {
        /** Journal forces per delivered message, NaN when the journal was not observed (Artemis). */
        String forcesPerMessage() {
            return forces == 0 ? "-" : String.format("%.2f", (double) forces / deliveredInWindow);
        }

        String recordsPerForce() {
            return forces == 0 ? "-" : String.format("%.1f", (double) records / forces);
        }
    }

    private AmqpBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Duration window = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "5")));
        Duration warmUp = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup-seconds", "2")));
        int repetitions = Integer.parseInt(options.getOrDefault("repetitions", "3"));
        int subscribers = Integer.parseInt(options.getOrDefault("subscribers", "10"));
        Duration fsyncWindow = Duration.ofSeconds(Long.parseLong(options.getOrDefault("fsync-seconds", "2")));
        String artemisClasspath = options.get("artemis-classpath");
        String artemisHeap = options.getOrDefault("artemis-heap", "1g");
        List<Scenario> scenarios = new ArrayList<>(List.of(
                new Scenario("queue-1", "persistent queue, 1 producer -> 1 consumer", false, 1, 1),
                new Scenario("queue-16", "persistent queue, 16 producers -> 4 consumers", false, 16, 4),
                new Scenario("fan-out", "non-persistent topic, 1 producer -> " + subscribers + " subscribers",
                        true, 1, subscribers)));
        if (options.containsKey("scenarios")) {
            List<String> wanted = List.of(options.get("scenarios").split(","));
            scenarios.removeIf(s -> !wanted.contains(s.name()));
        }

        StringBuilder out = new StringBuilder();
        List<Run> runs = new ArrayList<>();
        try (TempDirectory root = new TempDirectory("junction-amqp-bench-")) {
            progress("background load (2 s)");
            MachineCpu before = MachineCpu.sample();
            Thread.sleep(2000);
            MachineCpu after = MachineCpu.sample();
            String background = String.format("%s of both cores busy in the 2 s before the run, load average %s",
                    Report.percent(after == null ? Double.NaN : after.busySince(before)), MachineCpu.loadAverage());
            progress("raw fsync rate (%d s), for Artemis's journal-buffer-timeout", fsyncWindow.toSeconds());
            double fsyncRate = FsyncProbe.measure(root.path(), fsyncWindow);
            long bufferTimeout = Math.round(1e9 / fsyncRate);

            try (EmbeddedJunction junction = EmbeddedJunction.start(root.resolve("junction"), true);
                 ArtemisProcess artemis = artemisClasspath == null ? null
                         : ArtemisProcess.start(artemisClasspath, artemisHeap, root.resolve("artemis"), bufferTimeout)) {
                BrokerProbe junctionProbe = BrokerProbe.inProcess(junction.store(), CLIENT_THREADS);
                out.append(String.format("JVM: %s %s, %d cores; Junction and the load generator (Qpid JMS) in one JVM, "
                                + "max heap %d MB%n", System.getProperty("java.vm.name"),
                        System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().maxMemory() >> 20));
                out.append(String.format("Junction: AMQP listener 127.0.0.1:%d, store.fsync always, other settings "
                        + "default%n", junction.amqpPort()));
                if (artemis != null) {
                    out.append(String.format("Artemis: %s, persistence on, journal-buffer-timeout %d ns (1 / raw "
                                    + "fsync rate %,.0f/s), AMQP acceptor 127.0.0.1:%d, -Xmx%s%n",
                            artemis.description(), bufferTimeout, fsyncRate, artemis.amqpPort(), artemisHeap));
                }
                out.append("Other processes: ").append(background).append('\n');

                // Unmeasured: lets both JVMs compile the hot paths before the first measured run.
                progress("JIT warm-up");
                for (Scenario scenario : scenarios) {
                    run("junction", junction.amqpPort(), junctionProbe, scenario, "warm", Duration.ZERO,
                            Duration.ofSeconds(2));
                    if (artemis != null) {
                        run("artemis", artemis.amqpPort(), artemis.probe(), scenario, "warm", Duration.ZERO,
                                Duration.ofSeconds(2));
                    }
                }
                for (int repetition = 1; repetition <= repetitions; repetition++) {
                    for (Scenario scenario : scenarios) {
                        runs.add(run("junction", junction.amqpPort(), junctionProbe, scenario, "r" + repetition,
                                warmUp, window));
                        if (artemis != null) {
                            runs.add(run("artemis", artemis.amqpPort(), artemis.probe(), scenario,
                                    "r" + repetition, warmUp, window));
                        }
                    }
                }
            }
        }
        out.append('\n').append(String.format("Qpid JMS %s, 1 KB BytesMessages. Persistent queue: synchronous "
                        + "persistent sends (the broker's accepted, given after its fsync, before the next send), "
                        + "consumers AUTO_ACKNOWLEDGE. Fan-out: non-persistent, the producer bounded by the broker's "
                        + "link credit, non-durable subscribers AUTO_ACKNOWLEDGE. Each run: %d s warm-up, %d s "
                        + "measured; median of %d runs by delivered msg/s, brokers alternating (min-max in brackets). "
                        + "Broker CPU: Junction, its JVM less the load generator's threads; Artemis, its process; per "
                        + "delivered message. Backlog: sent x subscribers - delivered at the window's end; drain: time "
                        + "after the producers stop until every message is delivered. Fsyncs/msg and records/fsync: Junction's "
                        + "journal over the window (message and acknowledgement records); Artemis does not expose them.%n%n",
                org.apache.qpid.jms.util.MetaDataSupport.PROVIDER_VERSION, warmUp.toSeconds(), window.toSeconds(),
                repetitions));
        Table table = new Table("scenario", "broker", "delivered msg/s (median, min-max)", "sent msg/s",
                "broker CPU us/msg", "fsyncs/msg", "records/fsync", "machine busy", "backlog at end", "drain", "Junction / Artemis");
        for (Scenario scenario : scenarios) {
            Run junctionMedian = median(runs, "junction", scenario);
            Run artemisMedian = median(runs, "artemis", scenario);
            for (Run median : new Run[] {junctionMedian, artemisMedian}) {
                if (median == null) {
                    continue;
                }
                List<Run> all = runs.stream().filter(r -> r.broker().equals(median.broker())
                        && r.scenario() == scenario).toList();
                double min = all.stream().mapToDouble(Run::delivered).min().orElse(Double.NaN);
                double max = all.stream().mapToDouble(Run::delivered).max().orElse(Double.NaN);
                String ratio = median == junctionMedian && artemisMedian != null
                        ? String.format("%.2f", junctionMedian.delivered() / artemisMedian.delivered()) : "";
                table.row(scenario.title(), median.broker(),
                        String.format("%,.0f (%,.0f-%,.0f)", median.delivered(), min, max),
                        String.format("%,.0f", median.sent()),
                        String.format("%.1f", median.brokerCpuMicros()), median.forcesPerMessage(),
                        median.recordsPerForce(), Report.percent(median.machineBusy()),
                        String.format("%,d", median.backlog()),
                        median.undelivered() > 0 ? String.format("%,d not delivered in %d s", median.undelivered(),
                                DRAIN_TIMEOUT_MS / 1000) : String.format("%.1f s", median.drainSeconds()),
                        ratio);
            }
        }
        out.append(table.render());
        System.out.println(out);
    }

    private static Run median(List<Run> runs, String broker, Scenario scenario) {
        List<Run> mine = runs.stream().filter(r -> r.broker().equals(broker) && r.scenario() == scenario)
                .sorted(Comparator.comparingDouble(Run::delivered)).toList();
        return mine.isEmpty() ? null : mine.get(mine.size() / 2);
    }

    /** One run of a scenario on one broker, on destinations of its own. */
    private static Run run(String broker, int port, BrokerProbe probe, Scenario scenario, String tag,
                           Duration warmUp, Duration window) throws Exception {
        progress("%s %s %s", broker, scenario.name(), tag);
        String address = "bench.amqp." + scenario.name() + "." + tag;
        JmsConnectionFactory factory = new JmsConnectionFactory("amqp://127.0.0.1:" + port);
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder sent = new LongAdder();
        LongAdder delivered = new LongAdder();
        List<Connection> connections = new ArrayList<>();
        List<Worker> workers = new ArrayList<>();
        try {
            for (int i = 0; i < scenario.consumers(); i++) {
                Connection connection = factory.createConnection();
                connections.add(connection);
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(destination(session, scenario, address));
                connection.start();
                workers.add(new Worker("consumer-" + i, stop, () -> {
                    if (consumer.receive(100) != null) {
                        delivered.increment();
                    }
                }, true));
            }
            for (int i = 0; i < scenario.producers(); i++) {
                Connection connection = factory.createConnection();
                connections.add(connection);
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(destination(session, scenario, address));
                producer.setDeliveryMode(scenario.topic() ? DeliveryMode.NON_PERSISTENT : DeliveryMode.PERSISTENT);
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(BODY);
                connection.start();
                workers.add(new Worker("producer-" + i, stop, () -> {
                    producer.send(message);
                    sent.increment();
                }, false));
            }
            workers.forEach(Thread::start);
            Thread.sleep(warmUp.toMillis());
            long sentBefore = sent.sum();
            long deliveredBefore = delivered.sum();
            long cpuBefore = probe.cpuNanos().getAsLong();
            long forcesBefore = probe.journalForces().getAsLong();
            long recordsBefore = probe.journalRecords().getAsLong();
            MachineCpu machineBefore = MachineCpu.sample();
            long start = System.nanoTime();
            Thread.sleep(window.toMillis());
            long sentAfter = sent.sum();
            long deliveredAfter = delivered.sum();
            long cpuAfter = probe.cpuNanos().getAsLong();
            long forces = probe.journalForces().getAsLong() - forcesBefore;
            long records = probe.journalRecords().getAsLong() - recordsBefore;
            double seconds = (System.nanoTime() - start) / 1e9;
            MachineCpu machineAfter = MachineCpu.sample();
            int copies = scenario.topic() ? scenario.consumers() : 1;

            // Stop the producers, then wait until the consumers have every message sent.
            for (Worker worker : workers) {
                if (!worker.consumer) {
                    worker.stopping.set(true);
                }
            }
            for (Worker worker : workers) {
                if (!worker.consumer) {
                    worker.join(30_000);
                    worker.check();
                }
            }
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
                worker.join(30_000);
                worker.check();
            }
            long deliveredInWindow = deliveredAfter - deliveredBefore;
            return new Run(broker, scenario, deliveredInWindow / seconds, (sentAfter - sentBefore) / seconds,
                    deliveredInWindow > 0 ? (cpuAfter - cpuBefore) / 1000.0 / deliveredInWindow : Double.NaN,
                    machineAfter == null ? Double.NaN : machineAfter.busySince(machineBefore),
                    Math.max(0, sentAfter * copies - deliveredAfter), undelivered, drainSeconds, forces, records,
                    deliveredInWindow);
        } finally {
            stop.set(true);
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (JMSException e) {
                    progress("closing a connection: %s", e);
                }
            }
            for (Worker worker : workers) {
                worker.join(10_000);
            }
        }
    }

    private static Destination destination(Session session, Scenario scenario, String address) throws JMSException {
        return scenario.topic() ? session.createTopic(address) : session.createQueue(address);
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
        private volatile Exception failure;

        Worker(String name, AtomicBoolean stop, Step step, boolean consumer) {
            super(BrokerProbe.LOAD_GENERATOR_THREADS + "amqp-" + name);
            this.stop = stop;
            this.step = step;
            this.consumer = consumer;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!stop.get() && !stopping.get()) {
                    step.run();
                }
            } catch (Exception e) {
                if (!stop.get()) {
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
        System.err.printf("[amqp-bench] " + format + "%n", args);
    }
}
