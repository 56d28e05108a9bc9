package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.core.config.DestinationsConfig;
import io.junction.core.config.FullPolicy;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What producers of a destination at its memory limit get under the block, fail and dropOldest policies. */
class FlowControlTest extends BrokerTestSupport {

    private static final long LIMIT = 64 * 1024;
    /** Messages of about 1 KB: the 64 KB limit holds about fifty (with the 256-byte allowance per message). */
    private static final int SENT = 100;
    private static final int MAX_SENDS = 1000;
    private static final String KILOBYTE = "x".repeat(1024);

    private static final Destination BLOCKING = queue("blocking.orders");
    private static final Destination FAILING = queue("failing.orders");
    private static final Destination DROPPING = queue("dropping.orders");

    private BrokerConnection connection;

    @Override
    DestinationsConfig config() {
        return withPolicies(
                policy("blocking.>", memoryLimit(LIMIT, FullPolicy.BLOCK)),
                policy("failing.>", memoryLimit(LIMIT, FullPolicy.FAIL)),
                policy("dropping.>", memoryLimit(LIMIT, FullPolicy.DROP_OLDEST)));
    }

    @BeforeEach
    void connectClient() throws Exception {
        connection = connect();
    }

    @Test
    void blockedSendCompletesOnlyOnceAConsumerMakesRoom() throws Exception {
        List<CompletableFuture<Void>> sends = sendUntilOneIsNotAccepted(BLOCKING);
        sends.addAll(sendWithoutWaiting(BLOCKING, sends.size(), 10));
        settle();
        assertThat(sends.subList(sends.size() - 11, sends.size())).as("sends to the full blocking queue")
                .noneMatch(CompletableFuture::isDone);

        RecordingConsumer consumer = subscribe(connection, BLOCKING);

        assertThat(receiveAcknowledging(consumer, sends.size())).containsExactly(numbered(0, sends.size()));
        CompletableFuture.allOf(sends.toArray(new CompletableFuture[0])).get(5, TimeUnit.SECONDS);
    }

    @Test
    void fullBlockingQueueDoesNotStallSendsToOtherDestinations() throws Exception {
        CompletableFuture<Void> held = last(sendUntilOneIsNotAccepted(BLOCKING));

        for (Destination other : List.of(queue("blocking.other"), queue("unlimited"), topic("prices"))) {
            connection.send(text(other, "not held")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        settle();
        assertThat(held).isNotDone();
    }

    @Test
    void sendToAFullFailingQueueIsRefusedSayingItIsFull() throws Exception {
        List<CompletableFuture<Void>> sends = sendUntilOneIsNotAccepted(FAILING);

        assertThat(sends.get(0)).isCompleted();
        assertThatThrownBy(() -> last(sends).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(BrokerException.class)
                .hasMessageContaining("'failing.orders' is full");
    }

    @Test
    void dropOldestKeepsTheNewestMessages() throws Exception {
        for (String body : numbered(0, SENT)) {
            send(connection, text(DROPPING, body));
        }
        settle();

        int kept = queueInfo("dropping.orders").depth();
        assertThat(kept).isBetween(10, SENT - 1);
        RecordingConsumer consumer = subscribe(connection, DROPPING);

        assertThat(receiveAcknowledging(consumer, kept)).containsExactly(newest(kept));
    }

    @Test
    void droppedPersistentMessagesAreNotRecoveredAfterRestart() throws Exception {
        for (String body : numbered(0, SENT)) {
            send(connection, Message.builder(DROPPING).persistent(true).textBody(body).build());
        }
        settle();
        int kept = queueInfo("dropping.orders").depth();
        assertThat(kept).isBetween(10, SENT - 1);

        stopBroker();
        startBroker();

        assertThat(queueInfo("dropping.orders").depth()).isEqualTo(kept);
        RecordingConsumer consumer = subscribe(connect(), DROPPING);
        assertThat(receiveAcknowledging(consumer, kept)).containsExactly(newest(kept));
    }

    /**
     * Sends numbered messages one at a time, letting the queue take each, until a send is held or
     * refused; returns all the sends, that one last.
     */
    private List<CompletableFuture<Void>> sendUntilOneIsNotAccepted(Destination destination) throws Exception {
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < MAX_SENDS; i++) {
            CompletableFuture<Void> send = sendWithoutWaiting(destination, i, 1).get(0);
            sends.add(send);
            settle();
            if (!send.isDone() || send.isCompletedExceptionally()) {
                return sends;
            }
        }
        throw new AssertionError(MAX_SENDS + " messages of 1 KB were all accepted by " + destination);
    }

    private List<CompletableFuture<Void>> sendWithoutWaiting(Destination destination, int first, int count) {
        return Arrays.stream(numbered(first, count))
                .map(body -> connection.send(text(destination, body)).toCompletableFuture())
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static CompletableFuture<Void> last(List<CompletableFuture<Void>> sends) {
        return sends.get(sends.size() - 1);
    }

    private static String[] numbered(int first, int count) {
        return IntStream.range(first, first + count).mapToObj(i -> "m" + i + ":" + KILOBYTE).toArray(String[]::new);
    }

    /** The bodies of the last {@code count} of the {@link #SENT} messages sent to the dropping queue. */
    private static String[] newest(int count) {
        return numbered(SENT - count, count);
    }
}
