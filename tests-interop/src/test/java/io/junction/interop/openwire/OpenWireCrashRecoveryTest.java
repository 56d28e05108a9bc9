package io.junction.interop.openwire;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.interop.durability.JmsCrashRounds;
import io.junction.interop.support.BrokerProcess;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ActiveMQ client's persistent sends to a queue of the real broker, a child process, killed
 * with SIGKILL while they run, then restarted on the same data directory. Outside a transaction the
 * client sends persistent messages synchronously ({@code send()} returns on the broker's Response);
 * in a transacted session the sends are one-way and {@code commit()} waits for the Response. Every
 * message whose {@code send()} returned, and every message of a batch whose {@code commit()}
 * returned, is received (design section 4); nothing arrives that was never sent, nothing twice
 * (nobody consumed before the kills), and a batch whose commit the kill interrupted arrives whole
 * or not at all.
 */
@Timeout(180)
class OpenWireCrashRecoveryTest {

    private static final String QUEUE = "openwire.crash";
    private static final int ROUNDS = 2;
    /** Sends acknowledged in a round before the kill may come. */
    private static final int ACKED_BEFORE_KILL = 200;
    private static final int BATCH = 10;
    private static final int SHOWN = 10;

    @TempDir
    Path directory;

    private BrokerProcess broker;
    private JmsCrashRounds rounds;
    /** The transacted sender's batches, each recorded before its commit. */
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final AtomicInteger committed = new AtomicInteger();

    @BeforeEach
    void createBroker() throws Exception {
        broker = BrokerProcess.builder()
                .directory(directory)
                .config(BrokerProcess.smallConfig("openwire"))
                .javaOpts("-Xms64m -Xmx256m")
                .newPortOnEachStart()
                .prepare();
        // No failover: the client's send or commit fails when the broker dies, and nothing is resent.
        // The client's duplicate filter is off, so that the drain sees every copy the queue holds.
        rounds = new JmsCrashRounds(broker, () -> new ActiveMQConnectionFactory("tcp://127.0.0.1:"
                + broker.listenerPort("openwire") + "?connectionTimeout=5000&jms.watchTopicAdvisories=false"
                + "&jms.checkForDuplicates=false"), QUEUE);
    }

    @AfterEach
    void killBroker() throws Exception {
        rounds.close();
        broker.close();
    }

    @Test
    void everySendWhoseSendOrCommitReturnedSurvivesAKill() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            rounds.killWhileSending(ACKED_BEFORE_KILL,
                    List.of(rounds::persistentSends, rounds::persistentSends, this::committedBatches));
        }
        rounds.restartAndDrain();

        rounds.assertEveryAcknowledgedSendReceivedOnce(ROUNDS * ACKED_BEFORE_KILL);
        assertThat(committed.get()).as("transacted batches committed, none proves nothing; %s", rounds.context())
                .isPositive();
        Set<Integer> received = rounds.received();
        List<List<Integer>> torn = batches.stream()
                .filter(batch -> batch.stream().anyMatch(received::contains)
                        && !batch.stream().allMatch(received::contains))
                .toList();
        assertThat(torn).as("%d transacted batches received in part, first %s; %s", torn.size(),
                torn.stream().limit(SHOWN).toList(), rounds.context()).isEmpty();
    }

    /**
     * A transacted sender: batches of persistent sends, each committed; a batch is acknowledged
     * once its {@code commit()} returns.
     */
    private String committedBatches(Connection connection) throws JMSException {
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        while (!Thread.currentThread().isInterrupted()) {
            List<Integer> batch = new ArrayList<>();
            batches.add(batch);
            for (int i = 0; i < BATCH; i++) {
                int n = rounds.nextNumber();
                batch.add(n);
                producer.send(JmsCrashRounds.numbered(session, n));
            }
            session.commit();
            batch.forEach(rounds::acknowledged);
            committed.incrementAndGet();
        }
        return "interrupted";
    }
}
