package io.junction.interop.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.junction.interop.support.BrokerProcess;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.assertj.core.api.SoftAssertions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Kill rounds for JMS clients (Qpid JMS over AMQP, the ActiveMQ client over OpenWire) against the
 * real broker as a child process: each round starts the broker, runs senders of numbered persistent
 * messages (int property {@code n}) to one queue, kills the broker with SIGKILL at a random moment
 * once enough more sends were acknowledged, and waits for the senders to end with whatever the dead
 * broker gave them. Then {@link #restartAndDrain()} restarts it on the same data directory and one
 * consumer takes everything. Sends and deliveries go to a {@link CrashLedger};
 * {@link #assertEveryAcknowledgedSendReceivedOnce} asks it what every JMS crash test checks (design
 * section 4: a persistent message is acknowledged only once it is on disk).
 *
 * <pre>
 * try (JmsCrashRounds rounds = new JmsCrashRounds(broker, () -&gt; factoryFor(broker), "q")) {
 *     rounds.killWhileSending(200, List.of(rounds::persistentSends, rounds::persistentSends));
 *     rounds.restartAndDrain();
 *     rounds.assertEveryAcknowledgedSendReceivedOnce(200);
 * }
 * </pre>
 */
public final class JmsCrashRounds implements AutoCloseable {

    /** One client of a round: sends on the connection until the broker dies; returns how it ended. */
    @FunctionalInterface
    public interface Sender {
        String send(Connection connection) throws JMSException;
    }

    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SENDER_END = Duration.ofSeconds(20);
    private static final Duration DRAIN_BUDGET = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final int KILL_WITHIN_MILLIS = 200;
    private static final int SHOWN = 10;

    private final BrokerProcess broker;
    private final Supplier<ConnectionFactory> factory;
    private final String queue;
    private final CrashLedger ledger = new CrashLedger();
    private final AtomicInteger numbers = new AtomicInteger();
    private final ExecutorService senders = Executors.newCachedThreadPool();
    private final List<String> endings = new CopyOnWriteArrayList<>();
    private final long seed = Long.getLong("junction.crash.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private int kills;

    /**
     * @param factory asked after each start of the broker (whose ports change), for the connections
     *                of that round's senders and of the drain
     */
    public JmsCrashRounds(BrokerProcess broker, Supplier<ConnectionFactory> factory, String queue) {
        this.broker = broker;
        this.factory = factory;
        this.queue = queue;
    }

    /**
     * Starts the broker, runs each sender on a connection of its own until {@code more} further
     * sends are acknowledged (or every sender ended), kills the broker a random moment later, among
     * the in-flight sends, and waits for the senders to end.
     */
    public void killWhileSending(int more, List<Sender> roundSenders) throws Exception {
        broker.start();
        ConnectionFactory connections = factory.get();
        int target = ledger.receiptedCount() + more;
        List<Future<String>> running = new ArrayList<>();
        for (Sender sender : roundSenders) {
            running.add(senders.submit(() -> run(connections, sender)));
        }
        await().atMost(ROUND_TIMEOUT).pollInterval(Duration.ofMillis(2))
                .until(() -> ledger.receiptedCount() >= target || running.stream().allMatch(Future::isDone));
        Thread.sleep(random.nextInt(KILL_WITHIN_MILLIS));
        broker.kill();
        kills++;
        for (Future<String> sender : running) {
            endings.add(sender.get(SENDER_END.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private static String run(ConnectionFactory connections, Sender sender) {
        try (Connection connection = connections.createConnection()) {
            return sender.send(connection);
        } catch (JMSException | RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    /** A new message number, recorded as sent (attempted) before the message goes out. */
    public int nextNumber() {
        int n = numbers.incrementAndGet();
        ledger.sent(n);
        return n;
    }

    /** The broker acknowledged the send of this number: its {@code send()} or {@code commit()} returned. */
    public void acknowledged(int n) {
        ledger.receipted(n);
    }

    /** A persistent text message carrying its number. */
    public static TextMessage numbered(Session session, int n) throws JMSException {
        TextMessage message = session.createTextMessage("message " + n);
        message.setIntProperty("n", n);
        return message;
    }

    /**
     * A {@link Sender}: persistent sends outside a transaction, one after the other; the JMS
     * clients make them synchronous, so each is acknowledged when {@code send()} returns.
     */
    public String persistentSends(Connection connection) throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(session.createQueue(queue));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        while (!Thread.currentThread().isInterrupted()) {
            int n = nextNumber();
            producer.send(numbered(session, n));
            acknowledged(n);
        }
        return "interrupted";
    }

    /** Restarts the broker and consumes the queue with one consumer until it stays empty a while. */
    public void restartAndDrain() throws Exception {
        broker.start();
        int session = ledger.newSession();
        long deadline = System.nanoTime() + DRAIN_BUDGET.toNanos();
        try (Connection connection = factory.get().createConnection()) {
            connection.start();
            Session consuming = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = consuming.createConsumer(consuming.createQueue(queue));
            for (Message message; (message = consumer.receive(QUIET.toMillis())) != null; ) {
                ledger.delivered(message.getIntProperty("n"), message.getJMSRedelivered(), session);
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("still receiving after " + DRAIN_BUDGET + "; " + context());
                }
            }
        }
    }

    /** Every number the drain received. */
    public Set<Integer> received() {
        return ledger.deliveredNumbers();
    }

    /**
     * At least {@code minimumAcknowledged} sends were acknowledged (fewer prove nothing); every
     * acknowledged send was received; nothing was received that was never sent; nothing was received
     * twice, since nobody consumed before the kills.
     */
    public void assertEveryAcknowledgedSendReceivedOnce(int minimumAcknowledged) {
        String context = context();
        assertThat(ledger.receiptedCount()).as("acknowledged sends, too few to prove anything; %s", context)
                .isGreaterThanOrEqualTo(minimumAcknowledged);
        SoftAssertions softly = new SoftAssertions();
        expectNone(softly, "acknowledged sends never received", ledger.receiptedButNeverDelivered(), context);
        expectNone(softly, "numbers received that were never sent", ledger.deliveredButNeverSent(), context);
        expectNone(softly, "numbers received more than once (nobody consumed before the kills)",
                ledger.deliveredTwiceInOneSession(), context);
        softly.assertAll();
    }

    private void expectNone(SoftAssertions softly, String what, List<Integer> offenders, String context) {
        List<String> first = offenders.stream().limit(SHOWN).map(ledger::history).toList();
        softly.assertThat(offenders).as("%d %s, first %s; %s", offenders.size(), what, first, context).isEmpty();
    }

    /** The seed, the kills, the ledger's counts and how the senders ended, for failure messages. */
    public String context() {
        return "seed " + seed + " (rerun with -Djunction.crash.seed=" + seed + "); " + kills + " kills; "
                + ledger.summary() + "; senders ended with " + endings;
    }

    /** Stops the senders still running (after a failure); the broker is the caller's to close. */
    @Override
    public void close() throws InterruptedException {
        senders.shutdownNow();
        senders.awaitTermination(10, TimeUnit.SECONDS);
    }
}
