package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.store.journal.JournalFiles;
import io.junction.core.store.MessageStore;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerEvents;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.SubscriptionSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Consumer priorities, deliveries handed to the application (outside the prefetch), and the
 * events a protocol can watch: consumers and temporary destinations coming and going.
 */
class ConsumerWindowAndPriorityTest extends BrokerTestSupport {

    private static SubscriptionSpec withPriority(String queue, int prefetch, int priority) {
        return new SubscriptionSpec(queue(queue), null, prefetch, false, null, false, null, 0, false, false, priority);
    }

    @Test
    void theHighestPriorityConsumerWithRoomGetsMessagesFirst() throws Exception {
        BrokerConnection connection = connect();
        RecordingConsumer low = subscribe(connection, withPriority("work", 10, 1));
        RecordingConsumer high = subscribe(connection, withPriority("work", 3, 9));
        send(connection, queue("work"), "1", "2", "3", "4", "5");
        settle();
        assertThat(high.bodies()).containsExactly("1", "2", "3");
        assertThat(low.bodies()).containsExactly("4", "5");
    }

    @Test
    void deliveriesHandedToTheApplicationMakeRoomBeforeTheyAreAcknowledged() throws Exception {
        BrokerConnection connection = connect();
        RecordingConsumer consumer = subscribe(connection, withPriority("batch", 2, 0));
        send(connection, queue("batch"), "1", "2", "3", "4", "5");
        settle();
        assertThat(consumer.bodies()).hasSize(2);
        consumer.consumer().handedToApplication(2);
        settle();
        assertThat(consumer.bodies()).hasSize(4);
        // Acknowledging what was handed over keeps the window where it is.
        consumer.ack(consumer.awaitDelivery(0));
        consumer.ack(consumer.awaitDelivery(1));
        settle();
        assertThat(consumer.bodies()).hasSize(5);
    }

    @Test
    void deliveriesTheApplicationNeverSawGoBackUncounted() throws Exception {
        BrokerConnection connection = connect();
        RecordingConsumer first = subscribe(connection, queue("prefetched"));
        send(connection, queue("prefetched"), "seen", "prefetched");
        first.awaitDeliveries(2);
        first.consumer().close(new long[] {first.awaitDelivery(1).id()});
        RecordingConsumer next = subscribe(connection, queue("prefetched"));
        assertThat(next.awaitDelivery(0).message().bodyAsText()).isEqualTo("seen");
        assertThat(next.awaitDelivery(0).redelivered()).isTrue();
        assertThat(next.awaitDelivery(1).message().bodyAsText()).isEqualTo("prefetched");
        assertThat(next.awaitDelivery(1).redelivered()).isFalse();
        assertThat(next.awaitDelivery(1).deliveryCount()).isZero();
    }

    @Test
    void aRecoveryObserverSeesEveryStoredMessageRecovered() throws Exception {
        BrokerConnection connection = connect();
        send(connection, Message.builder(queue("kept")).persistent(true).messageId("ID:p:1:1:1:7").textBody("x").build());
        send(connection, Message.builder(queue("kept")).persistent(false).messageId("not stored").textBody("y").build());
        connection.close("restart");
        broker.stop();
        store.close();
        store = MessageStore.open(dataDirectory.resolve("journal"), JOURNAL, JournalFiles.DISK, 50);
        broker = new Broker(config(), limits(), 2, store);
        List<String> seen = new CopyOnWriteArrayList<>();
        broker.observeRecovery(message -> seen.add(message.messageId()));
        broker.start();
        assertThat(seen).containsExactly("ID:p:1:1:1:7");
    }

    @Test
    void listenersHearOfConsumersAndTemporaryDestinations() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        broker.watch(new BrokerEvents() {
            @Override
            public void temporaryDestinationCreated(Destination destination) {
                heard.add("+" + destination);
            }

            @Override
            public void temporaryDestinationDeleted(Destination destination) {
                heard.add("-" + destination);
            }

            @Override
            public void consumerOpened(Destination destination, String consumerId, int consumerCount) {
                heard.add("+consumer " + destination + " " + consumerCount);
            }

            @Override
            public void consumerClosed(Destination destination, String consumerId, int consumerCount) {
                heard.add("-consumer " + destination + " " + consumerCount);
            }
        });
        BrokerConnection connection = connect();
        RecordingConsumer first = subscribe(connection, queue("watched"));
        RecordingConsumer second = subscribe(connection, queue("watched"));
        first.close();
        second.close();
        Destination temporary = connection.temporaryDestination(io.junction.core.model.DestinationType.TEMP_QUEUE, "t");
        assertThat(broker.temporaryDestinations()).containsExactly(temporary);
        RecordingConsumer onTemporary = subscribe(connection, temporary);
        assertThatThrownBy(() -> connection.deleteTemporaryDestination(temporary))
                .isInstanceOf(BrokerException.class).hasMessageContaining("still has a consumer");
        onTemporary.close();
        connection.deleteTemporaryDestination(temporary);
        assertThat(broker.temporaryDestinations()).isEmpty();
        assertThat(heard).containsExactly(
                "+consumer queue://watched 1", "+consumer queue://watched 2",
                "-consumer queue://watched 1", "-consumer queue://watched 0",
                "+" + temporary, "+consumer " + temporary + " 1", "-consumer " + temporary + " 0", "-" + temporary);
    }
}
