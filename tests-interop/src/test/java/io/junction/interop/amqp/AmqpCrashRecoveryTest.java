package io.junction.interop.amqp;

import io.junction.interop.support.BrokerProcess;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Qpid JMS persistent sends (synchronous: {@code send()} returns once the broker's disposition
 * accepted the transfer) to a queue of the real broker, a child process, killed with SIGKILL while
 * the producers run, then restarted on the same data directory: every message whose {@code send()}
 * returned is received (design section 4: a persistent message is acknowledged only once it is on
 * disk), nothing arrives that was never sent, and nothing arrives twice, since nobody consumed
 * before the kill.
 */
@Timeout(180)
class AmqpCrashRecoveryTest {

    private static final String QUEUE = "amqp.crash";
    private static final int ROUNDS = 2;
    private static final int PRODUCERS = 2;
    /** Sends acknowledged in a round before the kill may come. */
    private static final int ACKED_BEFORE_KILL = 200;
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PRODUCER_END = Duration.ofSeconds(20);
    private static final Duration DRAIN_BUDGET = Duration.ofSeconds(60);
    private static final int SHOWN = 10;

    @TempDir
    Path directory;

    private BrokerProcess broker;
    private final ExecutorService producers = Executors.newCachedThreadPool();

    @BeforeEach
    void createBroker() throws Exception {
        broker = BrokerProcess.builder()
                .directory(directory)
                .config(BrokerProcess.smallConfig("amqp"))
                .javaOpts("-Xms64m -Xmx256m")
                .newPortOnEachStart()
                .prepare();
    }

    @AfterEach
    void killBroker() throws Exception {
        producers.shutdownNow();
        producers.awaitTermination(10, TimeUnit.SECONDS);
        broker.close();
    }

    private String amqpUri() {
        return "amqp://127.0.0.1:" + broker.listenerPort("amqp") + "?jms.connectTimeout=5000&jms.requestTimeout=10000"
                + "&jms.sendTimeout=10000&jms.closeTimeout=2000";
    }

    @Test
    void everyPersistentSendWhoseSendReturnedSurvivesAKill() throws Exception {
        long seed = Long.getLong("junction.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        Set<Integer> attempted = ConcurrentHashMap.newKeySet();
        List<String> producerErrors = new ArrayList<>();
        AtomicInteger numbers = new AtomicInteger();

        for (int round = 0; round < ROUNDS; round++) {
            broker.start();
            String uri = amqpUri();
            int target = acknowledged.size() + ACKED_BEFORE_KILL;
            List<Future<String>> running = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                running.add(producers.submit(() -> produce(uri, numbers, attempted, acknowledged)));
            }
            await().atMost(ROUND_TIMEOUT).pollInterval(Duration.ofMillis(2))
                    .until(() -> acknowledged.size() >= target || running.stream().allMatch(Future::isDone));
            Thread.sleep(random.nextInt(200)); // a random moment among the in-flight sends
            broker.kill();
            for (Future<String> producer : running) {
                producerErrors.add(producer.get(PRODUCER_END.toMillis(), TimeUnit.MILLISECONDS));
            }
        }

        broker.start();
        Map<Integer, Integer> received = drain(amqpUri());
        String context = "seed " + seed + " (rerun with -Djunction.crash.seed=" + seed + "); " + ROUNDS
                + " kills; attempted " + attempted.size() + ", acknowledged " + acknowledged.size() + ", received "
                + received.size() + "; producers ended with " + producerErrors;

        assertThat(acknowledged.size()).as("acknowledged sends, too few to prove anything; %s", context)
                .isGreaterThanOrEqualTo(ROUNDS * ACKED_BEFORE_KILL);
        List<Integer> lost = acknowledged.stream().filter(n -> !received.containsKey(n)).sorted().toList();
        assertThat(lost).as("%d acknowledged sends never received, first %s; %s", lost.size(),
                lost.stream().limit(SHOWN).toList(), context).isEmpty();
        List<Integer> invented = received.keySet().stream().filter(n -> !attempted.contains(n)).sorted().toList();
        assertThat(invented).as("numbers received that were never sent; %s", context).isEmpty();
        List<Integer> twice = received.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .sorted().toList();
        assertThat(twice).as("%d numbers received more than once (nobody consumed before the kills), first %s; %s",
                twice.size(), twice.stream().limit(SHOWN).toList(), context).isEmpty();
    }

    /** Sends numbered persistent messages until the broker dies; returns how it ended. */
    private static String produce(String uri, AtomicInteger numbers, Set<Integer> attempted, Set<Integer> acknowledged) {
        try (Connection connection = new JmsConnectionFactory(uri).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            while (!Thread.currentThread().isInterrupted()) {
                int n = numbers.incrementAndGet();
                TextMessage message = session.createTextMessage("message " + n);
                message.setIntProperty("n", n);
                attempted.add(n);
                producer.send(message);
                acknowledged.add(n);
            }
            return "interrupted";
        } catch (JMSException | RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    /** Receives until the queue stays empty for a while; the count of each number received. */
    private static Map<Integer, Integer> drain(String uri) throws JMSException {
        Map<Integer, Integer> received = new TreeMap<>();
        long deadline = System.nanoTime() + DRAIN_BUDGET.toNanos();
        try (Connection connection = new JmsConnectionFactory(uri).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
            for (Message message; (message = consumer.receive(3000)) != null; ) {
                received.merge(message.getIntProperty("n"), 1, Integer::sum);
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("still receiving after " + DRAIN_BUDGET + "; " + received.size() + " so far");
                }
            }
        }
        return received;
    }
}
