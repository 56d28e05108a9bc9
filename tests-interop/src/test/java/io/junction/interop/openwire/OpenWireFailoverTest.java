package io.junction.interop.openwire;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.interop.support.BrokerProcess;
import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.transport.TransportListener;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The ActiveMQ client with a {@code failover:} URL on both sides of a queue, a producer of
 * persistent messages and a consumer that receives and acknowledges them, while the broker goes
 * down mid-stream and comes back on the same port: a graceful restart of an in-process broker, and
 * a SIGKILL of a child-process broker. The client reconnects (a ConnectionControl, then its
 * ConnectionInfo marked failoverReconnect, sessions, producers, consumers) and resends the sends it
 * had no answer for. Every message whose {@code send()} returned then reaches the application, and
 * none reaches it twice: a resent message keeps its id, and the client's audit drops what comes
 * again with an id it saw (the broker's producer audit drops resends only while it runs). Also: a
 * consumer the client restores in pull mode, as its listener was busy, gets its prefetch back.
 */
@Timeout(180)
class OpenWireFailoverTest {

    private static final String QUEUE = "openwire.failover";
    /** Messages the consumer gets before the restart, and sends that return after it, at least. */
    private static final int AROUND_THE_RESTART = 300;
    private static final Duration CLIENT_WAIT = Duration.ofSeconds(60);
    /** After the last message expected, how long nothing more may arrive (a late duplicate). */
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final int SHOWN = 10;

    @TempDir
    Path directory;

    private EmbeddedBroker embedded;
    private BrokerProcess child;
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @AfterEach
    void stopEverything() throws Exception {
        clients.shutdownNow();
        clients.awaitTermination(10, TimeUnit.SECONDS);
        if (embedded != null) {
            embedded.stop();
        }
        if (child != null) {
            child.close();
        }
    }

    @Test
    void nothingAcknowledgedIsLostAndNothingDeliveredTwiceAcrossAGracefulRestart() throws Exception {
        embedded = new EmbeddedBroker();
        embedded.start();
        exchangeAcrossARestart(new Stream(embedded.openWirePort(), () -> ""), embedded::restartKeepingPorts);
    }

    @Test
    void nothingAcknowledgedIsLostAndNothingDeliveredTwiceAcrossAKill() throws Exception {
        child = BrokerProcess.builder()
                .directory(directory)
                .config(BrokerProcess.smallConfig("openwire"))
                .javaOpts("-Xms64m -Xmx256m")
                .keepPort("openwire")
                .prepare();
        child.start();
        Stream stream = new Stream(child.listenerPort("openwire"),
                () -> "\nbroker output (end):\n" + child.outputTail(30));
        exchangeAcrossARestart(stream, () -> {
            child.kill();
            child.start();
        });
    }

    /**
     * Without the client's audit, the application sees what the queue holds. The send that was in
     * flight when the broker stopped was stored, but its answer never reached the client, which
     * sends it again after reconnecting; the broker's producer audit, rebuilt from the recovered
     * messages' ids, drops the resend, so the queue holds it once.
     */
    @Test
    void aSendInFlightAtAGracefulRestartIsStoredOnce() throws Exception {
        embedded = new EmbeddedBroker();
        embedded.start();
        Stream stream = new Stream(embedded.openWirePort(), () -> "");
        Future<String> producer = stream.startProducer();
        stream.await(AROUND_THE_RESTART + " sends acknowledged before the restart",
                () -> stream.acknowledged.size() >= AROUND_THE_RESTART || producer.isDone());
        stream.restartWhileProducing(embedded::restartKeepingPorts, producer, producer);
        Future<String> consumer = stream.startConsumer("&jms.checkForDuplicates=false");
        stream.awaitEverythingAndThenQuiet(consumer);
        stream.assertNothingLostAndNothingReceivedTwice();
    }

    /**
     * A consumer whose listener is still busy when the client reconnects is restored with prefetch 0
     * (the client's state tracker does so while its interruption processing is not complete), and
     * gets its prefetch back with a ConsumerControl once the listener returns. A broker that ignores
     * that ConsumerControl leaves it a pulling consumer that never pulls: it gets nothing more.
     */
    @Test
    void aConsumerBusyInItsListenerWhileTheClientReconnectsGetsMessagesAfterwards() throws Exception {
        embedded = new EmbeddedBroker();
        embedded.start();
        Stream stream = new Stream(embedded.openWirePort(), () -> "");
        int before = 10;
        int after = 10;
        sendNumbered(embedded.openWireUri(), 1, before);
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Connection connection = stream.connect(stream.url)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createQueue(QUEUE)).setMessageListener(message -> {
                try {
                    stream.received.merge(message.getIntProperty("n"), 1, Integer::sum);
                    stream.deliveries.incrementAndGet();
                    inListener.countDown();
                    if (!release.await(CLIENT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                } catch (JMSException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            connection.start();
            assertThat(inListener.await(CLIENT_WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("a first message").isTrue();

            embedded.restartKeepingPorts();
            stream.await("the consumer's connection restored", () -> stream.resumptions.get() >= 2);
            release.countDown();
            sendNumbered(embedded.openWireUri(), before + 1, after);
            stream.await("every message received", () -> stream.received.size() >= before + after);
        } finally {
            release.countDown();
        }
        assertThat(stream.received).as("how often each number arrived").hasSize(before + after)
                .allSatisfy((n, count) -> assertThat(count).isOne());
    }

    /** Sends persistent messages numbered {@code first} on, on a connection of their own. */
    private static void sendNumbered(String uri, int first, int count) throws JMSException {
        try (Connection connection = new ActiveMQConnectionFactory(uri + "?jms.watchTopicAdvisories=false")
                .createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
            for (int n = first; n < first + count; n++) {
                TextMessage message = session.createTextMessage("message " + n);
                message.setIntProperty("n", n);
                producer.send(message, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, 0);
            }
        }
    }

    @FunctionalInterface
    private interface Restart {
        void restart() throws Exception;
    }

    /**
     * Runs the consumer and the producer, each on a failover connection, restarts the broker once
     * the consumer has had {@link #AROUND_THE_RESTART} messages, stops the producer once that many
     * more sends returned, and waits until the consumer has had every acknowledged message and then
     * nothing for {@link #QUIET}.
     */
    private void exchangeAcrossARestart(Stream stream, Restart restart) throws Exception {
        Future<String> consumer = stream.startConsumer("");
        stream.await("the consumer to subscribe", () -> stream.consuming.get() || consumer.isDone());
        Future<String> producer = stream.startProducer();
        stream.await(AROUND_THE_RESTART + " messages received before the restart",
                () -> stream.received.size() >= AROUND_THE_RESTART || producer.isDone() || consumer.isDone());
        stream.restartWhileProducing(restart, producer, consumer);
        stream.awaitEverythingAndThenQuiet(consumer);
        assertThat(stream.interruptions.get()).as("connections that saw the broker go; %s", stream.context())
                .isGreaterThanOrEqualTo(2);
        stream.assertNothingLostAndNothingReceivedTwice();
    }

    /** What the producer and the consumer of one test did, by message number. */
    private final class Stream {
        final String url;
        final Supplier<String> brokerLog;
        final AtomicInteger numbers = new AtomicInteger();
        final Set<Integer> attempted = ConcurrentHashMap.newKeySet();
        final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        /** Per number, how many times the consumer's application got it. */
        final Map<Integer, Integer> received = new ConcurrentHashMap<>();
        final AtomicInteger deliveries = new AtomicInteger();
        final AtomicInteger redelivered = new AtomicInteger();
        final AtomicInteger interruptions = new AtomicInteger();
        final AtomicInteger resumptions = new AtomicInteger();
        final AtomicBoolean consuming = new AtomicBoolean();
        final AtomicBoolean stopProducing = new AtomicBoolean();
        final AtomicBoolean stopConsuming = new AtomicBoolean();
        volatile int acknowledgedAtRestart = -1;
        volatile String producerEnd = "(still running)";
        volatile String consumerEnd = "(still running)";

        /** @param brokerLog what the broker said, for failure messages */
        Stream(int port, Supplier<String> brokerLog) {
            this.url = "failover:(tcp://127.0.0.1:" + port + ")?initialReconnectDelay=100&maxReconnectDelay=1000"
                    + "&timeout=30000&jms.watchTopicAdvisories=false";
            this.brokerLog = brokerLog;
        }

        Future<String> startProducer() {
            return clients.submit(this::produce);
        }

        /** @param options more URL options for the consumer's connection */
        Future<String> startConsumer(String options) {
            return clients.submit(() -> consume(url + options));
        }

        /**
         * Restarts the broker, waits until {@link #AROUND_THE_RESTART} more sends returned (or the
         * producer or the other client ended), and stops the producer.
         */
        void restartWhileProducing(Restart restart, Future<String> producer, Future<String> otherClient)
                throws Exception {
            acknowledgedAtRestart = acknowledged.size();
            restart.restart();
            await(AROUND_THE_RESTART + " more sends acknowledged after the restart",
                    () -> acknowledged.size() >= acknowledgedAtRestart + AROUND_THE_RESTART || producer.isDone()
                            || otherClient.isDone());
            stopProducing.set(true);
            producerEnd = producer.get(CLIENT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Waits until every acknowledged send was received and then nothing came for a while; stops the consumer. */
        void awaitEverythingAndThenQuiet(Future<String> consumer) throws Exception {
            AtomicInteger lastCount = new AtomicInteger(-1);
            long[] lastChange = {System.nanoTime()};
            await("every acknowledged send received, then " + QUIET + " without a delivery", () -> {
                int count = deliveries.get();
                if (count != lastCount.getAndSet(count)) {
                    lastChange[0] = System.nanoTime();
                }
                boolean all = received.keySet().containsAll(acknowledged);
                return consumer.isDone() || (all && System.nanoTime() - lastChange[0] > QUIET.toNanos());
            });
            stopConsuming.set(true);
            consumerEnd = consumer.get(CLIENT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        void assertNothingLostAndNothingReceivedTwice() {
            Map<Integer, Integer> got = new TreeMap<>(received);
            String context = context();
            SoftAssertions softly = new SoftAssertions();
            List<Integer> lost = acknowledged.stream().filter(n -> !got.containsKey(n)).sorted().toList();
            softly.assertThat(lost).as("%d sends that returned but never reached the consumer, first %s; %s",
                    lost.size(), lost.stream().limit(SHOWN).toList(), context).isEmpty();
            List<Integer> invented = got.keySet().stream().filter(n -> !attempted.contains(n)).toList();
            softly.assertThat(invented).as("numbers received that were never sent; %s", context).isEmpty();
            List<Integer> twice = got.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .toList();
            softly.assertThat(twice).as("%d numbers the application received more than once, first %s; %s",
                    twice.size(), twice.stream().limit(SHOWN).map(n -> n + "x" + got.get(n)).toList(), context)
                    .isEmpty();
            softly.assertAll();
        }

        /** Waits for the condition, failing with what the clients did so far when it does not come. */
        void await(String what, Callable<Boolean> condition) {
            try {
                Awaitility.await().atMost(CLIENT_WAIT).pollInterval(Duration.ofMillis(20)).until(condition);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("no " + what + " within " + CLIENT_WAIT + "; " + context(), e);
            }
        }

        String context() {
            return "attempted " + attempted.size() + ", acknowledged " + acknowledged.size() + " ("
                    + acknowledgedAtRestart + " before the restart), received " + received.size() + " numbers in "
                    + deliveries.get() + " deliveries (" + redelivered.get() + " marked redelivered); producer "
                    + producerEnd + ", consumer " + consumerEnd + "; interruptions seen " + interruptions
                    + ", resumptions " + resumptions + brokerLog.get();
        }

        /** Persistent sends, synchronous outside a transaction, until told to stop; how it ended. */
        private String produce() {
            try (Connection connection = connect(url)) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                while (!stopProducing.get() && !Thread.currentThread().isInterrupted()) {
                    int n = numbers.incrementAndGet();
                    TextMessage message = session.createTextMessage("message " + n);
                    message.setIntProperty("n", n);
                    attempted.add(n);
                    producer.send(message);
                    acknowledged.add(n);
                }
                return "stopped";
            } catch (JMSException | RuntimeException e) {
                return e.toString();
            }
        }

        /** Receives, acknowledging each message (AUTO_ACKNOWLEDGE), until told to stop; how it ended. */
        private String consume(String consumerUrl) {
            try (Connection connection = connect(consumerUrl)) {
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
                consuming.set(true);
                while (!stopConsuming.get() && !Thread.currentThread().isInterrupted()) {
                    Message message = consumer.receive(200);
                    if (message != null) {
                        received.merge(message.getIntProperty("n"), 1, Integer::sum);
                        deliveries.incrementAndGet();
                        if (message.getJMSRedelivered()) {
                            redelivered.incrementAndGet();
                        }
                    }
                }
                return "stopped";
            } catch (JMSException | RuntimeException e) {
                return e.toString();
            }
        }

        /** A connection whose transport interruptions and resumptions are counted. */
        Connection connect(String connectionUrl) throws JMSException {
            ActiveMQConnection connection = (ActiveMQConnection) new ActiveMQConnectionFactory(connectionUrl)
                    .createConnection();
            connection.addTransportListener(new TransportListener() {
                @Override
                public void onCommand(Object command) {
                }

                @Override
                public void onException(IOException error) {
                }

                @Override
                public void transportInterupted() {
                    interruptions.incrementAndGet();
                }

                @Override
                public void transportResumed() {
                    resumptions.incrementAndGet();
                }
            });
            return connection;
        }
    }
}
