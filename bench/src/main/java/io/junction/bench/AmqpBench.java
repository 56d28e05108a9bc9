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
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private static final Progress PROGRESS = new Progress("amqp-bench");

    record Scenario(String name, String title, boolean topic, int producers, int consumers) {
    }

    record Run(String broker, Scenario scenario, MessageFlow.Result flow) implements FlowTable.Run {
    }

    private AmqpBench() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, OPTIONS);
        SideBySideBrokers.Schedule schedule = SideBySideBrokers.Schedule.of(options);
        int subscribers = options.integer("subscribers", 10);
        List<Scenario> scenarios = new ArrayList<>(List.of(
                new Scenario("queue-1", "persistent queue, 1 producer -> 1 consumer", false, 1, 1),
                new Scenario("queue-16", "persistent queue, 16 producers -> 4 consumers", false, 16, 4),
                new Scenario("fan-out", "non-persistent topic, 1 producer -> " + subscribers + " subscribers",
                        true, 1, subscribers)));
        if (options.has("scenarios")) {
            List<String> wanted = List.of(options.get("scenarios").split(","));
            scenarios.removeIf(s -> !wanted.contains(s.name()));
        }

        StringBuilder out = new StringBuilder();
        List<Run> runs;
        try (TempDirectory root = new TempDirectory("junction-amqp-bench-");
             SideBySideBrokers brokers = SideBySideBrokers.start(root, "amqp", options, CLIENT_THREADS, PROGRESS)) {
            out.append(brokers.header("AMQP", "Qpid JMS"));
            runs = brokers.alternate(scenarios, schedule, AmqpBench::run).measured();
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
                org.apache.qpid.jms.util.MetaDataSupport.PROVIDER_VERSION, schedule.warmUp().toSeconds(),
                schedule.window().toSeconds(), schedule.repetitions()));
        FlowTable table = new FlowTable();
        for (Scenario scenario : scenarios) {
            table.add(scenario.title(), runs.stream().filter(r -> r.scenario() == scenario).toList(),
                    Comparator.comparingDouble(r -> r.flow().delivered()));
        }
        out.append(table.render());
        System.out.println(out);
    }

    /** One run of a scenario on one broker, on destinations of its own. */
    private static Run run(SideBySideBrokers.Target broker, Scenario scenario, String tag, Duration warmUp,
                           Duration window) throws Exception {
        PROGRESS.log("%s %s %s", broker.name(), scenario.name(), tag);
        String address = "bench.amqp." + scenario.name() + "." + tag;
        JmsConnectionFactory factory = new JmsConnectionFactory("amqp://127.0.0.1:" + broker.port());
        AtomicBoolean stop = new AtomicBoolean();
        MessageFlow flow = new MessageFlow();
        List<Connection> connections = new ArrayList<>();
        List<LoadThread> consumers = new ArrayList<>();
        List<LoadThread> producers = new ArrayList<>();
        try {
            for (int i = 0; i < scenario.consumers(); i++) {
                Connection connection = factory.createConnection();
                connections.add(connection);
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(destination(session, scenario, address));
                connection.start();
                consumers.add(new LoadThread("amqp-consumer-" + i, stop, () -> {
                    if (consumer.receive(100) != null) {
                        flow.delivered.increment();
                    }
                }));
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
                producers.add(new LoadThread("amqp-producer-" + i, stop, () -> {
                    producer.send(message);
                    flow.sent.increment();
                }));
            }
            consumers.forEach(Thread::start);
            producers.forEach(Thread::start);
            Thread.sleep(warmUp.toMillis());
            MessageFlow.Mark start = flow.mark(broker.probe());
            Thread.sleep(window.toMillis());
            MessageFlow.Mark end = flow.mark(broker.probe());
            int copies = scenario.topic() ? scenario.consumers() : 1;

            // Stop the producers, then wait until the consumers have every message sent.
            producers.forEach(LoadThread::stopRepeating);
            for (LoadThread producer : producers) {
                producer.join(30_000);
                producer.check();
            }
            MessageFlow.Drained drained = flow.drain(copies);
            stop.set(true);
            for (LoadThread consumer : consumers) {
                consumer.join(30_000);
                consumer.check();
            }
            return new Run(broker.name(), scenario, MessageFlow.Result.of(start, end, copies, drained));
        } finally {
            stop.set(true);
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (JMSException e) {
                    PROGRESS.log("closing a connection: %s", e);
                }
            }
            for (LoadThread thread : consumers) {
                thread.join(10_000);
            }
            for (LoadThread thread : producers) {
                thread.join(10_000);
            }
        }
    }

    private static Destination destination(Session session, Scenario scenario, String address) throws JMSException {
        return scenario.topic() ? session.createTopic(address) : session.createQueue(address);
    }
}
