package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.Delivery;
import io.junction.core.spi.SubscriptionSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a queue hands its messages to its consumers. */
class QueueDispatchTest extends BrokerTestSupport {

    private static final Destination ORDERS = queue("orders");

    private BrokerConnection connection;

    @BeforeEach
    void connectClient() throws Exception {
        connection = connect();
    }

    private static String[] numbered(int count) {
        return IntStream.range(0, count).mapToObj(i -> "m" + i).toArray(String[]::new);
    }

    @Test
    void deliversInSendOrder() throws Exception {
        send(connection, ORDERS, numbered(50));

        RecordingConsumer consumer = subscribe(connection, ORDERS);

        consumer.awaitDeliveries(50);
        assertThat(consumer.bodies()).containsExactly(numbered(50));
    }

    @Test
    void higherPriorityFirstAndFifoWithinAPriority() throws Exception {
        int[] priorities = {4, 0, 9, 4, 7, 0, 9, 1, 4, 7};
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < priorities.length; i++) {
            String body = "p" + priorities[i] + "-" + i;
            sent.add(body);
            send(connection, Message.builder(ORDERS).priority(priorities[i]).textBody(body).build());
        }

        RecordingConsumer consumer = subscribe(connection, ORDERS);

        consumer.awaitDeliveries(sent.size());
        // A stable sort keeps send order within a priority.
        List<String> expected = sent.stream()
                .sorted(Comparator.comparing((String body) -> body.charAt(1)).reversed())
                .toList();
        assertThat(consumer.bodies()).containsExactlyElementsOf(expected);
    }

    @Test
    void competingConsumersTakeTurns() throws Exception {
        List<RecordingConsumer> consumers = List.of(
                subscribe(connection, ORDERS), subscribe(connection, ORDERS), subscribe(connection, ORDERS));
        settle();

        send(connection, ORDERS, numbered(9));

        for (RecordingConsumer consumer : consumers) {
            consumer.awaitDeliveries(3);
        }
        settle();
        assertThat(consumers.get(0).bodies()).containsExactly("m0", "m3", "m6");
        assertThat(consumers.get(1).bodies()).containsExactly("m1", "m4", "m7");
        assertThat(consumers.get(2).bodies()).containsExactly("m2", "m5", "m8");
    }

    @Test
    void eachMessageGoesToExactlyOneConsumer() throws Exception {
        RecordingConsumer first = subscribe(connection, ORDERS);
        RecordingConsumer second = subscribe(connection, ORDERS);

        send(connection, ORDERS, numbered(200));

        await().atMost(RecordingConsumer.WAIT)
                .until(() -> first.deliveries().size() + second.deliveries().size() == 200);
        settle();
        List<String> all = new ArrayList<>(first.bodies());
        all.addAll(second.bodies());
        assertThat(all).containsExactlyInAnyOrder(numbered(200));
        assertThat(first.bodies()).isNotEmpty();
        assertThat(second.bodies()).isNotEmpty();
    }

    @Test
    void prefetchLimitsUnacknowledgedDeliveries() throws Exception {
        send(connection, ORDERS, numbered(5));

        RecordingConsumer consumer = subscribe(connection, new SubscriptionSpec(ORDERS, null, 2, false, null));

        List<Delivery> firstTwo = consumer.awaitDeliveries(2);
        settle();
        assertThat(consumer.bodies()).containsExactly("m0", "m1");

        consumer.ack(firstTwo.get(0));
        consumer.awaitDeliveries(3);
        settle();
        assertThat(consumer.bodies()).containsExactly("m0", "m1", "m2");
    }

    @Test
    void exclusiveConsumerGetsEverythingWhileAttached() throws Exception {
        RecordingConsumer before = subscribe(connection, ORDERS);
        RecordingConsumer exclusive = subscribe(connection, new SubscriptionSpec(ORDERS, null, PREFETCH, true, null));
        RecordingConsumer after = subscribe(connection, ORDERS);
        settle();

        send(connection, ORDERS, "a", "b", "c", "d");

        exclusive.awaitDeliveries(4).forEach(exclusive::ack);
        settle();
        assertThat(exclusive.bodies()).containsExactly("a", "b", "c", "d");
        assertThat(before.deliveries()).isEmpty();
        assertThat(after.deliveries()).isEmpty();

        exclusive.close();
        send(connection, ORDERS, "e", "f");

        before.awaitDeliveries(1);
        after.awaitDeliveries(1);
        settle();
        assertThat(before.bodies()).containsExactly("e");
        assertThat(after.bodies()).containsExactly("f");
    }

    @Test
    void messagesHeldByAClosedExclusiveConsumerGoToTheOthers() throws Exception {
        RecordingConsumer exclusive = subscribe(connection, new SubscriptionSpec(ORDERS, null, PREFETCH, true, null));
        RecordingConsumer other = subscribe(connection, ORDERS);
        send(connection, ORDERS, "a", "b");
        exclusive.awaitDeliveries(2);

        exclusive.close();

        other.awaitDeliveries(2);
        assertThat(other.bodies()).containsExactly("a", "b");
        assertThat(other.deliveries()).allMatch(Delivery::redelivered);
    }

    @Test
    void selectorLeavesOtherMessagesForOtherConsumers() throws Exception {
        RecordingConsumer red = subscribe(connection, new SubscriptionSpec(ORDERS, "color = 'red'", PREFETCH, false, null));
        settle();

        send(connection, Message.builder(ORDERS).property("color", "blue").textBody("blue-1").build());
        send(connection, Message.builder(ORDERS).property("color", "red").textBody("red-1").build());
        send(connection, Message.builder(ORDERS).textBody("uncoloured").build());

        red.awaitDeliveries(1);
        settle();
        assertThat(red.bodies()).containsExactly("red-1");
        assertThat(queueInfo("orders").depth()).isEqualTo(3);

        RecordingConsumer any = subscribe(connection, ORDERS);

        any.awaitDeliveries(2);
        assertThat(any.bodies()).containsExactly("blue-1", "uncoloured");
    }
}
