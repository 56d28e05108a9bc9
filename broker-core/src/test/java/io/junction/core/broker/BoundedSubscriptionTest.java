package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.Delivery;
import io.junction.core.spi.SubscriptionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Subscriptions with a message count bound, as MQTT sessions use them. */
class BoundedSubscriptionTest extends BrokerTestSupport {

    private static SubscriptionSpec bounded(String topic, String durableName, int maxQueued) {
        return new SubscriptionSpec(Destination.topic(topic), null, PREFETCH, false, durableName, false, null,
                maxQueued, true);
    }

    /** A connected subscriber's bounded subscription, taking a few messages at a time. */
    private static SubscriptionSpec connected(String topic, int maxQueued) {
        return new SubscriptionSpec(Destination.topic(topic), null, 5, false, null, false, null, maxQueued, false);
    }

    /** Sends without waiting: the futures complete when the broker answers the producer. */
    private static List<CompletableFuture<Void>> sendAll(BrokerConnection publisher, String topic, int from, int to) {
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            answers.add(publisher.send(text(Destination.topic(topic), "m" + i)).toCompletableFuture());
        }
        return answers;
    }

    private static List<String> bodies(int from, int to) {
        List<String> bodies = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            bodies.add("m" + i);
        }
        return bodies;
    }

    private static Message persistent(String topic, String body) {
        return Message.builder(Destination.topic(topic)).persistent(true).textBody(body).build();
    }

    @Test
    void theBoundIsSharedByTheSubscriptionsOfOneClientAndNewMessagesAreDroppedPastIt() throws Exception {
        BrokerConnection device = connect("device-1");
        subscribe(device, bounded("sensors.a", "a", 3)).close();
        subscribe(device, bounded("sensors.b", "b", 3)).close();
        device.close("away");
        BrokerConnection publisher = connect();

        for (String body : new String[] {"a1", "a2"}) {
            send(publisher, persistent("sensors.a", body));
        }
        for (String body : new String[] {"b1", "b2"}) {
            send(publisher, persistent("sensors.b", body));
        }
        settle();
        assertThat(broker.statistics().messagesDropped()).isEqualTo(1);

        BrokerConnection back = connect("device-1");
        RecordingConsumer a = subscribe(back, bounded("sensors.a", "a", 3));
        RecordingConsumer b = subscribe(back, bounded("sensors.b", "b", 3));
        assertThat(receiveAcknowledging(a, 2)).containsExactly("a1", "a2");
        assertThat(receiveAcknowledging(b, 1)).containsExactly("b1");
        settle();
        assertThat(b.deliveries()).hasSize(1);
    }

    @Test
    void anAbsentSubscriberKeepsOnlyPersistentMessagesWhenItAskedSo() throws Exception {
        BrokerConnection device = connect("device-2");
        subscribe(device, bounded("t", "t", 10)).close();
        // The consumer leaves its queue on the queue's executor: wait until it has.
        settle();
        BrokerConnection publisher = connect();

        send(publisher, text(Destination.topic("t"), "not kept"));
        send(publisher, persistent("t", "kept"));

        RecordingConsumer back = subscribe(device, bounded("t", "t", 10));
        assertThat(receiveAcknowledging(back, 1)).containsExactly("kept");
        settle();
        assertThat(back.deliveries()).hasSize(1);
    }

    @Test
    void aSubscriberThatKeepsTakingHoldsItsProducersPastTheHoldLimitAndLosesNothing() throws Exception {
        BrokerConnection device = connect("slow-reader");
        RecordingConsumer slow = subscribe(device, connected("fan.in", 10));
        BrokerConnection publisher = connect();

        List<CompletableFuture<Void>> answers = sendAll(publisher, "fan.in", 1, 40);
        settle();
        assertThat(answers.get(39)).as("the last send is held while the subscriber is behind").isNotDone();

        // One message every 100 ms: progress, however slow, keeps the producer held rather than
        // freeing it after the hold limit and dropping what it sends next.
        long started = System.nanoTime();
        int taken = 0;
        while (System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(3 * Queue.HOLD_LIMIT_MILLIS)) {
            slow.ack(slow.awaitDelivery(taken++));
            Thread.sleep(100);
        }
        assertThat(taken).isLessThan(30);
        assertThat(answers.get(39)).as("still held after %d ms of slow progress", 3 * Queue.HOLD_LIMIT_MILLIS)
                .isNotDone();
        List<CompletableFuture<Void>> more = sendAll(publisher, "fan.in", 41, 50);

        for (int i = taken; i < 50; i++) {
            slow.ack(slow.awaitDelivery(i));
        }
        CompletableFuture.allOf(more.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        settle();
        assertThat(slow.bodies()).isEqualTo(bodies(1, 50));
        assertThat(broker.statistics().messagesDropped()).isZero();
    }

    @Test
    void aSubscriberThatTakesNothingFreesItsProducersAfterTheHoldLimitThenNewMessagesAreDropped() throws Exception {
        BrokerConnection device = connect("stuck-reader");
        RecordingConsumer stuck = subscribe(device, connected("stuck", 10));
        BrokerConnection publisher = connect();

        long started = System.nanoTime();
        List<CompletableFuture<Void>> answers = sendAll(publisher, "stuck", 1, 30);
        settle();
        assertThat(answers.get(29)).as("held at first").isNotDone();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                .as("released after the hold limit").isGreaterThanOrEqualTo(Queue.HOLD_LIMIT_MILLIS - 50);

        // Past its bound, a subscriber that makes no progress drops new messages, answered at once.
        CompletableFuture.allOf(sendAll(publisher, "stuck", 31, 35).toArray(CompletableFuture[]::new))
                .get(1, TimeUnit.SECONDS);
        settle();
        assertThat(broker.statistics().messagesDropped()).isEqualTo(5);

        // It takes messages again: what it was sent before it stalled is all there, and its
        // producers are held again rather than its messages dropped.
        List<Delivery> first = stuck.awaitDeliveries(5);
        first.forEach(stuck::ack);
        settle();
        List<CompletableFuture<Void>> again = sendAll(publisher, "stuck", 36, 40);
        settle();
        assertThat(again.get(4)).as("held again once the subscriber progresses").isNotDone();
        for (int i = 5; i < 35; i++) {
            stuck.ack(stuck.awaitDelivery(i));
        }
        settle();
        List<String> expected = bodies(1, 30);
        expected.addAll(bodies(36, 40));
        assertThat(stuck.bodies()).isEqualTo(expected);
        assertThat(broker.statistics().messagesDropped()).isEqualTo(5);
    }
}
