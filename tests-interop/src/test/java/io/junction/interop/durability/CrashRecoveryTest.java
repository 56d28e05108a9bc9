package io.junction.interop.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.BrokerProcess;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The broker as a child process ({@code bin/junction run}) killed with SIGKILL at random moments
 * while clients send and consume persistent messages, then restarted on the same data directory:
 * nothing acknowledged is lost, nothing appears that was never sent, and the only duplicates are
 * redeliveries, marked as such, of messages whose acknowledgement the broker had not confirmed;
 * messages that were not persistent are gone.
 */
class CrashRecoveryTest {

    private static final String QUEUE = "/queue/crash";
    private static final int ROUNDS = 4;
    /** No round starts after this much time, so that the test stays bounded (at least two rounds run). */
    private static final Duration ROUND_BUDGET = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);
    private static final int SHOWN = 10;
    private static final int MIN_RECEIPTED = 50;
    private static final int ACK_ROUNDS = 3;
    /** Confirmed ACKs each round waits for before its kill. */
    private static final int CONFIRMED_ACKS = 500;
    /** A small broker: one STOMP listener (its port given on the command line), a short shutdown. */
    private static final String CONFIG = """
            broker:
              dataDirectory: data
              shutdownTimeout: 5s
            listeners:
              - name: stomp
                protocols: [stomp]
                port: 0
            """;

    @TempDir
    Path directory;

    private BrokerProcess broker;
    private final ExecutorService clients = Executors.newCachedThreadPool();

    /** {@code bin/junction run} on {@code <directory>/data}, kept across kills, on a new free port each start. */
    @BeforeEach
    void createBroker() throws Exception {
        broker = BrokerProcess.builder()
                .directory(directory)
                .config(CONFIG)
                .javaOpts("-Xms64m -Xmx256m")
                .newPortOnEachStart()
                .prepare();
    }

    @AfterEach
    void killBroker() throws Exception {
        clients.shutdownNow();
        broker.close();
    }

    @Test
    void killedBrokerLosesNoAcknowledgedMessageAndRedeliversOnlyUnacknowledgedOnes() throws Throwable {
        long seed = Long.getLong("junction.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        CrashLedger ledger = new CrashLedger();
        AtomicInteger numbers = new AtomicInteger();
        long started = System.nanoTime();
        int rounds = 0;
        String seedText = "seed " + seed + " (rerun with -Djunction.crash.seed=" + seed + ")";
        while (rounds < ROUNDS && (rounds < 2 || System.nanoTime() - started < ROUND_BUDGET.toNanos())) {
            boolean withConsumer = rounds > 0 && rounds < ROUNDS - 1;
            int killAfterMillis = 300 + random.nextInt(1200);
            runRoundAndKill(ledger, numbers, withConsumer, () -> Thread.sleep(killAfterMillis), seedText);
            rounds++;
        }

        String run = seedText + ", " + rounds + " kill rounds";
        drainAfterRestart(ledger, run);
        String context = run + "; " + ledger.summary();
        assertThat(ledger.receiptedCount()).as("acknowledged sends, too few to prove anything; %s", context)
                .isGreaterThanOrEqualTo(MIN_RECEIPTED);
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(ledger.surprises()).as("surprises; %s", context).isEmpty();
        expectNone(softly, "sends acknowledged with a RECEIPT but never delivered",
                ledger.receiptedButNeverDelivered(), ledger, context);
        expectNone(softly, "numbers delivered that were never sent", ledger.deliveredButNeverSent(), ledger, context);
        expectNone(softly, "messages delivered again without redelivered:true", ledger.redeliveredWithoutMark(),
                ledger, context);
        expectNone(softly, "messages delivered twice on one consumer connection",
                ledger.deliveredTwiceInOneSession(), ledger, context);
        expectNone(softly, "messages delivered, never acknowledged, and then never delivered again",
                ledger.lostAfterUnacknowledgedDelivery(), ledger, context);
        softly.assertAll();
    }

    /**
     * The broker is killed while a consumer acknowledges a stream of messages, each ACK asking for
     * a RECEIPT. Kept apart from the random rounds above, which check everything else and would have
     * to be disabled as a whole while this fails.
     */
    @Test
    void messagesWhoseAckTheBrokerConfirmedAreNotDeliveredAfterAKill() throws Throwable {
        CrashLedger ledger = new CrashLedger();
        AtomicInteger numbers = new AtomicInteger();
        String run = ACK_ROUNDS + " kill rounds, each after " + CONFIRMED_ACKS + " more confirmed ACKs";
        for (int round = 0; round < ACK_ROUNDS; round++) {
            int target = ledger.confirmedAckCount() + CONFIRMED_ACKS;
            runRoundAndKill(ledger, numbers, true, () -> await().atMost(CLIENT_TIMEOUT)
                    .pollInterval(Duration.ofMillis(1)).until(() -> ledger.confirmedAckCount() >= target), run);
        }

        drainAfterRestart(ledger, run);
        String context = run + "; " + ledger.summary();
        List<Integer> offenders = ledger.deliveredAfterConfirmedAck();
        assertThat(offenders).as("%d messages delivered again after the broker had confirmed their ACK, first %s; %s",
                offenders.size(), offenders.stream().limit(SHOWN).map(ledger::history).toList(), context).isEmpty();
    }

    @Test
    void nonPersistentMessagesDieWithTheBrokerWhilePersistentOnesWaitForTheirDurableSubscriber() throws Exception {
        String topic = "/topic/x";
        String[] durable = {"client-id:crash-subscriber", "activemq.subscriptionName:keeper"};
        broker.start();
        try (RawStompClient subscriber = RawStompClient.connected(broker.port(), StompSteps.VERSION, durable[0])) {
            StompSteps.subscribe(subscriber, topic, durable[1]);
            subscriber.write(RawStompClient.frame("DISCONNECT", "receipt:bye"));
            StompSteps.awaitReceipt(subscriber, "bye");
        }
        try (RawStompClient producer = RawStompClient.connected(broker.port(), StompSteps.VERSION)) {
            for (int i = 1; i <= 5; i++) {
                StompSteps.send(producer, topic, "persistent-" + i, true);
                StompSteps.send(producer, topic, "non-persistent-" + i, false);
                StompSteps.send(producer, "/queue/volatile", "queued-non-persistent-" + i, false);
            }
        }

        broker.kill();
        broker.start();

        List<RawFrame> kept;
        try (RawStompClient subscriber = RawStompClient.connected(broker.port(), StompSteps.VERSION, durable[0])) {
            StompSteps.subscribe(subscriber, topic, durable[1]);
            kept = StompSteps.consumeUntilQuiet(subscriber, QUIET);
        }
        assertThat(kept).as("what the durable subscription kept through the crash").extracting(RawFrame::bodyText)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 5).mapToObj(i -> "persistent-" + i).toList());
        assertThat(kept).extracting(frame -> frame.header("redelivered")).as("recovered messages are marked")
                .containsOnly("true");
        try (RawStompClient consumer = RawStompClient.connected(broker.port(), StompSteps.VERSION)) {
            StompSteps.subscribe(consumer, "/queue/volatile");
            assertThat(StompSteps.consumeUntilQuiet(consumer, Duration.ofSeconds(1)))
                    .as("non-persistent messages left in a queue by the crash").isEmpty();
        }
    }

    /**
     * Starts the broker, runs a producer and optionally a consumer against it, and kills it once
     * {@code killMoment} returns, counting from when the clients are connected.
     */
    private void runRoundAndKill(CrashLedger ledger, AtomicInteger numbers, boolean withConsumer, Executable killMoment,
                                 String context) throws Throwable {
        broker.start();
        CountDownLatch connected = new CountDownLatch(withConsumer ? 2 : 1);
        List<Future<?>> running = new ArrayList<>();
        running.add(clients.submit(new NumberedProducer(broker.port(), QUEUE, numbers, ledger, connected)));
        if (withConsumer) {
            NumberedConsumer consumer = new NumberedConsumer(broker.port(), QUEUE, ledger, 10, 8);
            running.add(clients.submit(() -> consumer.consume(CLIENT_TIMEOUT, connected)));
        }
        if (!connected.await(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the clients did not connect within " + CLIENT_TIMEOUT + "; " + context
                    + "; surprises " + ledger.surprises());
        }
        killMoment.execute();
        broker.kill();
        for (Future<?> client : running) {
            try {
                client.get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("a client did not notice the killed broker within " + CLIENT_TIMEOUT + "; "
                        + context, e);
            }
        }
    }

    /** Restarts the broker and consumes the queue, acknowledging everything, until it stays quiet. */
    private void drainAfterRestart(CrashLedger ledger, String context) throws Exception {
        broker.start();
        NumberedConsumer.End end = new NumberedConsumer(broker.port(), QUEUE, ledger, 0, 0)
                .consume(QUIET, new CountDownLatch(1));
        assertThat(end).as("how the final drain ended; %s; %s; surprises %s", context, ledger.summary(),
                ledger.surprises()).isEqualTo(NumberedConsumer.End.QUIET);
    }

    private static void expectNone(SoftAssertions softly, String what, List<Integer> offenders, CrashLedger ledger,
                                   String context) {
        List<String> first = offenders.stream().limit(SHOWN).map(ledger::history).toList();
        softly.assertThat(offenders).as("%d %s, first %s; %s", offenders.size(), what, first, context).isEmpty();
    }
}
