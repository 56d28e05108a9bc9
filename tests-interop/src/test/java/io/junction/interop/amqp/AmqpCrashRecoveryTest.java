package io.junction.interop.amqp;

import io.junction.interop.durability.JmsCrashRounds;
import io.junction.interop.support.BrokerProcess;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

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
    /** Sends acknowledged in a round before the kill may come. */
    private static final int ACKED_BEFORE_KILL = 200;

    @TempDir
    Path directory;

    private BrokerProcess broker;
    private JmsCrashRounds rounds;

    @BeforeEach
    void createBroker() throws Exception {
        broker = BrokerProcess.builder()
                .directory(directory)
                .config(BrokerProcess.smallConfig("amqp"))
                .javaOpts("-Xms64m -Xmx256m")
                .newPortOnEachStart()
                .prepare();
        rounds = new JmsCrashRounds(broker, () -> new JmsConnectionFactory("amqp://127.0.0.1:"
                + broker.listenerPort("amqp") + "?jms.connectTimeout=5000&jms.requestTimeout=10000"
                + "&jms.sendTimeout=10000&jms.closeTimeout=2000"), QUEUE);
    }

    @AfterEach
    void killBroker() throws Exception {
        rounds.close();
        broker.close();
    }

    @Test
    void everyPersistentSendWhoseSendReturnedSurvivesAKill() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            rounds.killWhileSending(ACKED_BEFORE_KILL, List.of(rounds::persistentSends, rounds::persistentSends));
        }
        rounds.restartAndDrain();
        rounds.assertEveryAcknowledgedSendReceivedOnce(ROUNDS * ACKED_BEFORE_KILL);
    }
}
