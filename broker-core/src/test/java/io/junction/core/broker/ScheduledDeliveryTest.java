package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.model.ScheduleProperties;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.Delivery;
import io.junction.core.spi.Transaction;
import io.junction.core.store.MessageStore;
import io.junction.core.store.journal.JournalFiles;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Messages with AMQ_SCHEDULED_* properties are held back and delivered later, as often as they ask;
 * persistent ones survive a restart. Time bounds are one-sided: never before the delay (less a
 * timer tick), and within {@link RecordingConsumer#WAIT} after it.
 */
class ScheduledDeliveryTest extends BrokerTestSupport {

    /** The broker's timer ticks every 10 ms; a delivery may come that much early by the wall clock. */
    private static final long EARLY_MARGIN_MILLIS = 30;

    private static Message scheduled(Destination destination, String body, boolean persistent, Object... properties) {
        Message.Builder b = Message.builder(destination).persistent(persistent).messageId("ID:" + body).textBody(body);
        for (int i = 0; i < properties.length; i += 2) {
            b.property((String) properties[i], properties[i + 1]);
        }
        return b.build();
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    /** Stops the broker and its store as a graceful stop does and starts both again on the same journal. */
    private void restart() throws Exception {
        broker.stop();
        store.close();
        store = MessageStore.open(dataDirectory.resolve("journal"), JOURNAL, JournalFiles.DISK, 50);
        broker = new Broker(config(), limits(), 2, store);
        broker.start();
    }

    @Test
    void delayedMessageIsNotDeliveredBeforeItsDelay() throws Exception {
        BrokerConnection connection = connect();
        RecordingConsumer consumer = subscribe(connection, queue("orders"));
        long sent = System.nanoTime();

        send(connection, scheduled(queue("orders"), "later", false, ScheduleProperties.DELAY, 400L));
        send(connection, queue("orders"), "now");

        assertThat(consumer.awaitDelivery(0).message().bodyAsText()).isEqualTo("now");
        Delivery later = consumer.awaitDelivery(1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(consumer.arrivalNanos(1) - sent))
                .isGreaterThanOrEqualTo(400 - EARLY_MARGIN_MILLIS);
        assertThat(later.message().bodyAsText()).isEqualTo("later");
        assertThat(later.message().properties()).doesNotContainKey(ScheduleProperties.DELAY)
                .containsKey(ScheduleProperties.JOB_ID);
        assertThat(later.message().messageId()).isEqualTo("ID:later");
        assertThat(broker.scheduledMessages()).isZero();
    }

    @Test
    void delayGivenAsTextWorksLikeANumber() throws Exception {
        BrokerConnection connection = connect();
        RecordingConsumer consumer = subscribe(connection, queue("orders"));
        long sent = System.nanoTime();

        send(connection, scheduled(queue("orders"), "text", false, ScheduleProperties.DELAY, "300"));

        consumer.awaitDelivery(0);
        assertThat(TimeUnit.NANOSECONDS.toMillis(consumer.arrivalNanos(0) - sent))
                .isGreaterThanOrEqualTo(300 - EARLY_MARGIN_MILLIS);
    }

    @Test
    void repeatWithPeriodDeliversRepeatPlusOneCopies() throws Exception {
        BrokerConnection connection = connect();
        RecordingConsumer consumer = subscribe(connection, queue("orders"));
        long sent = System.nanoTime();

        send(connection, scheduled(queue("orders"), "tick", true, ScheduleProperties.DELAY, 200L,
                ScheduleProperties.PERIOD, 150L, ScheduleProperties.REPEAT, 2));

        List<String> bodies = receiveAcknowledging(consumer, 3);
        assertThat(TimeUnit.NANOSECONDS.toMillis(consumer.arrivalNanos(2) - sent))
                .isGreaterThanOrEqualTo(200 + 150 + 150 - EARLY_MARGIN_MILLIS);
        assertThat(bodies).containsExactly("tick", "tick", "tick");
        assertThat(consumer.deliveries()).extracting(d -> d.message().messageId())
                .containsExactly("ID:tick-1", "ID:tick-2", "ID:tick-3");
        Thread.sleep(400);
        settle();
        assertThat(consumer.deliveries()).hasSize(3);
        assertThat(broker.scheduledMessages()).isZero();
    }

    @Test
    void invalidScheduleIsRefused() throws Exception {
        BrokerConnection connection = connect();

        assertThatThrownBy(() -> send(connection, scheduled(queue("orders"), "x", true, ScheduleProperties.DELAY, -5L)))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(BrokerException.class)
                .hasMessage("invalid AMQ_SCHEDULED_DELAY '-5': must not be negative; the message is not sent");
        assertThatThrownBy(() -> send(connection, scheduled(queue("orders"), "x", true,
                ScheduleProperties.CRON, "61 * * * *"))).cause()
                .hasMessageContaining("invalid AMQ_SCHEDULED_CRON '61 * * * *'");
        assertThat(broker.scheduledMessages()).isZero();
        assertThat(broker.queue("orders")).isNull();
    }

    @Test
    void invalidScheduleInATransactionIsRefusedAtTheSend() throws Exception {
        Transaction transaction = connect().beginTransaction();

        assertThatThrownBy(() -> transaction.send(scheduled(queue("orders"), "x", true,
                ScheduleProperties.PERIOD, "often"))).isInstanceOf(BrokerException.class)
                .hasMessageStartingWith("invalid AMQ_SCHEDULED_PERIOD 'often'");
    }

    @Test
    void scheduledSendInATransactionWaitsForTheCommit() throws Exception {
        BrokerConnection connection = connect();
        RecordingConsumer consumer = subscribe(connection, queue("orders"));
        Transaction rolledBack = connection.beginTransaction();
        rolledBack.send(scheduled(queue("orders"), "never", true, ScheduleProperties.DELAY, 50L));
        rolledBack.rollback();
        Transaction committed = connection.beginTransaction();
        committed.send(scheduled(queue("orders"), "committed", true, ScheduleProperties.DELAY, 200L));

        Thread.sleep(300);
        assertThat(consumer.deliveries()).isEmpty();
        long committedAt = System.nanoTime();
        committed.commit().toCompletableFuture().join();

        assertThat(consumer.awaitDelivery(0).message().bodyAsText()).isEqualTo("committed");
        assertThat(millisSince(committedAt)).isGreaterThanOrEqualTo(200 - EARLY_MARGIN_MILLIS);
        Thread.sleep(100);
        assertThat(consumer.deliveries()).hasSize(1);
    }

    @Test
    void aDeliveredMessageSentOnIsNotScheduledAgain() throws Exception {
        BrokerConnection connection = connect();
        RecordingConsumer consumer = subscribe(connection, queue("orders"));
        send(connection, scheduled(queue("orders"), "once", false, ScheduleProperties.DELAY, 10L,
                ScheduleProperties.REPEAT, 0));
        Message delivered = consumer.awaitDelivery(0).message();
        RecordingConsumer forwarded = subscribe(connection, queue("forwarded"));

        long sent = System.nanoTime();
        send(connection, delivered.toBuilder().destination(queue("forwarded")).property(ScheduleProperties.DELAY, 5000L)
                .build());

        forwarded.awaitDelivery(0);
        assertThat(millisSince(sent)).isLessThan(2000);
    }

    @Test
    void scheduledTopicMessageGoesToTheSubscribersOfTheDeliveryTime() throws Exception {
        BrokerConnection connection = connect();
        send(connection, scheduled(topic("prices"), "late news", false, ScheduleProperties.DELAY, 300L));
        RecordingConsumer subscriber = subscribe(connection, topic("prices"));

        assertThat(subscriber.awaitDelivery(0).message().bodyAsText()).isEqualTo("late news");
    }

    @Test
    void retainedMessageCannotBeScheduled() throws Exception {
        BrokerConnection connection = connect();

        assertThatThrownBy(() -> connection.sendRetained(scheduled(topic("status"), "x", false,
                ScheduleProperties.DELAY, 100L)).toCompletableFuture().join()).cause()
                .hasMessageStartingWith("a retained message cannot be scheduled");
    }

    @Test
    void scheduledSendsPastTheLimitAreRefused() throws Exception {
        broker.maxScheduledMessages(2);
        BrokerConnection connection = connect();
        send(connection, scheduled(queue("orders"), "a", true, ScheduleProperties.DELAY, 60_000L));
        send(connection, scheduled(queue("orders"), "b", false, ScheduleProperties.DELAY, 60_000L));

        assertThatThrownBy(() -> send(connection, scheduled(queue("orders"), "c", true, ScheduleProperties.DELAY,
                60_000L))).cause().hasMessageStartingWith("too many scheduled messages are waiting (the limit is 2)");
        send(connection, queue("orders"), "unscheduled sends go on");
        assertThat(broker.scheduledMessages()).isEqualTo(2);
    }

    @Test
    void persistentScheduledMessageSurvivesARestart() throws Exception {
        BrokerConnection connection = connect();
        long sent = System.nanoTime();
        send(connection, scheduled(queue("orders"), "durable", true, ScheduleProperties.DELAY, 800L));
        send(connection, scheduled(queue("orders"), "volatile", false, ScheduleProperties.DELAY, 800L));

        restart();
        assertThat(broker.scheduledMessages()).as("only the persistent one is stored").isEqualTo(1);
        RecordingConsumer consumer = subscribe(connect(), queue("orders"));

        assertThat(consumer.awaitDelivery(0).message().bodyAsText()).isEqualTo("durable");
        assertThat(millisSince(sent)).isGreaterThanOrEqualTo(800 - EARLY_MARGIN_MILLIS);
        Thread.sleep(200);
        settle();
        assertThat(consumer.bodies()).containsExactly("durable");
    }

    @Test
    void overdueMessageIsDeliveredPromptlyAfterARestart() throws Exception {
        send(connect(), scheduled(queue("orders"), "overdue", true, ScheduleProperties.DELAY, 200L));
        broker.stop();
        Thread.sleep(400);

        restart();
        RecordingConsumer consumer = subscribe(connect(), queue("orders"));

        assertThat(consumer.awaitDelivery(0).message().bodyAsText()).isEqualTo("overdue");
    }

    @Test
    void repeatingScheduleGoesOnWhereItStoppedAfterARestart() throws Exception {
        BrokerConnection connection = connect();
        RecordingConsumer consumer = subscribe(connection, queue("orders"));
        send(connection, scheduled(queue("orders"), "tick", true, ScheduleProperties.DELAY, 100L,
                ScheduleProperties.PERIOD, 1000L, ScheduleProperties.REPEAT, 2));
        consumer.ack(consumer.awaitDelivery(0));
        settle();
        connection.close("restart");

        restart();
        RecordingConsumer after = subscribe(connect(), queue("orders"));

        receiveAcknowledging(after, 2);
        assertThat(after.deliveries()).extracting(d -> d.message().messageId()).containsExactly("ID:tick-2", "ID:tick-3");
        Thread.sleep(300);
        settle();
        assertThat(after.deliveries()).hasSize(2);
        assertThat(broker.scheduledMessages()).isZero();
    }

    @Test
    void manyDeliveriesDueTogetherAreEachMadeOnce() throws Exception {
        BrokerConnection connection = connect();
        int count = 2500;
        for (int i = 0; i < count; i++) {
            connection.send(scheduled(queue("burst"), "m" + i, true, ScheduleProperties.DELAY, 300L));
        }
        send(connection, scheduled(queue("burst"), "last", true, ScheduleProperties.DELAY, 300L));
        RecordingConsumer consumer = subscribe(connection, queue("burst"));

        assertThat(receiveAcknowledging(consumer, count + 1)).doesNotHaveDuplicates();
        settle();
        assertThat(consumer.deliveries()).hasSize(count + 1);
        assertThat(broker.scheduledMessages()).isZero();
    }

    @Test
    void nonPersistentScheduledMessagesCountAgainstBrokerMemory() throws Exception {
        BrokerConnection connection = connect();
        long before = broker.memoryUsed();

        send(connection, Message.builder(queue("orders")).body(io.junction.core.model.BodyType.BYTES, new byte[10_000])
                .property(ScheduleProperties.DELAY, 60_000L).build());

        assertThat(broker.memoryUsed() - before).isEqualTo(10_000);
    }

    @Test
    void scheduledMessagesAreStoredOutsideAnyQueue() throws Exception {
        send(connect(), scheduled(queue("orders"), "held", true, ScheduleProperties.DELAY, Duration.ofHours(1).toMillis()));

        assertThat(queueInfo("orders").depth()).isZero();
        assertThat(broker.scheduledMessages()).isEqualTo(1);
    }
}
