package io.junction.core.store;

import io.junction.core.model.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.junction.core.store.StoreFixtures.await;
import static io.junction.core.store.StoreFixtures.describe;
import static io.junction.core.store.StoreFixtures.message;
import static io.junction.core.store.StoreFixtures.open;
import static io.junction.core.store.StoreFixtures.queue;
import static io.junction.core.store.StoreFixtures.queues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a reopened store recovers of each kind of record. */
class MessageStoreRecoveryTest {

    @TempDir
    Path directory;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void emptyStoreRecoversNothing() throws Exception {
        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredQueues()).isEmpty();
            assertThat(store.recoveredMessages()).isEmpty();
            assertThat(store.recoveredState()).isEmpty();
            assertThat(store.maxMessageId()).isZero();
            assertThat(store.maxQueueId()).isZero();
        }
    }

    @Test
    void queuesAndSubscriptionsInCreationOrderWithoutRemovedOnes() throws Exception {
        QueueDefinition subscription = new QueueDefinition(2, "client-1:sub", "prices.>", "price > 10");
        QueueDefinition unselected = new QueueDefinition(4, "client-2:all", "prices.eu", null);
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            await(store.addQueue(subscription));
            await(store.addQueue(queue(3)));
            await(store.addQueue(unselected));
            await(store.removeQueue(3));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredQueues()).containsExactly(queue(1), subscription, unselected);
            assertThat(store.recoveredQueues().get(1).isSubscription()).isTrue();
            assertThat(store.maxQueueId()).isEqualTo(4);
        }
    }

    @Test
    void maxQueueIdCountsARemovedQueue() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            await(store.addQueue(queue(9)));
            await(store.removeQueue(9));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredQueues()).containsExactly(queue(1));
            assertThat(store.maxQueueId()).isEqualTo(9);
        }
    }

    @Test
    void messagesOfOneAndSeveralQueuesLoadAsStored() throws Exception {
        Message toOne = message(1, 100);
        Message toTwo = message(2, 5000);
        Message toThree = message(3, 0);
        try (MessageStore store = open(directory)) {
            for (long q = 1; q <= 3; q++) {
                await(store.addQueue(queue(q)));
            }
            await(store.addMessage(toOne, queues(1)));
            await(store.addMessage(toTwo, queues(1, 2)));
            await(store.addMessage(toThree, queues(1, 2, 3)));
        }

        try (MessageStore store = open(directory)) {
            Map<Long, long[]> messages = store.recoveredMessages();
            assertThat(messages).containsOnlyKeys(1L, 2L, 3L);
            assertThat(messages.get(1L)).containsExactly(1, 2, 3);
            assertThat(messages.get(2L)).containsExactly(2, 3);
            assertThat(messages.get(3L)).containsExactly(3);
            for (Message m : List.of(toOne, toTwo, toThree)) {
                assertThat(describe(store.loadMessage(m.brokerId()))).isEqualTo(describe(m));
            }
            assertThat(store.maxMessageId()).isEqualTo(3);
        }
    }

    @Test
    void messagesAreListedAscendingWhateverTheOrderTheyWereWritten() throws Exception {
        long[] ids = {50, 7, 31, 2, 49, 8};
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            await(store.addQueue(queue(2)));
            for (long id : ids) {
                await(store.addMessage(message(id, 10), id % 2 == 0 ? queues(1, 2) : queues(1)));
            }
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages().get(1L)).containsExactly(2, 7, 8, 31, 49, 50);
            assertThat(store.recoveredMessages().get(2L)).containsExactly(2, 8, 50);
            assertThat(store.maxMessageId()).isEqualTo(50);
        }
    }

    @Test
    void aMessageStaysForTheQueuesThatDidNotAcknowledgeIt() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            await(store.addQueue(queue(2)));
            await(store.addMessage(message(1, 10), queues(1, 2)));
            await(store.addMessage(message(2, 10), queues(1, 2)));
            await(store.acknowledge(1, 1));
            await(store.acknowledge(1, 2));
            await(store.acknowledge(2, 2));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages()).containsOnlyKeys(2L);
            assertThat(store.recoveredMessages().get(2L)).containsExactly(1);
            assertThatThrownBy(() -> store.loadMessage(2)).isInstanceOf(IOException.class);
            assertThat(store.maxMessageId()).as("acknowledged messages still count").isEqualTo(2);
        }
    }

    @Test
    void acknowledgingWithoutWaitingForTheSendStillTakesEffect() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            for (long id = 1; id <= 200; id++) {
                store.addMessage(message(id, 100), queues(1));
                if (id % 2 == 0) {
                    store.acknowledge(1, id);
                }
            }
            await(store.acknowledge(1, 1));
        }

        try (MessageStore store = open(directory)) {
            long[] left = store.recoveredMessages().get(1L);
            assertThat(left).hasSize(99).doesNotContain(1, 2, 200).contains(3, 199);
        }
    }

    @Test
    void acknowledgingAnUnknownMessageIsHarmless() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            await(store.addMessage(message(1, 10), queues(1)));
            await(store.acknowledge(1, 999));
            await(store.acknowledge(2, 1));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages().get(1L)).containsExactly(1);
        }
    }

    @Test
    void removingAQueueDropsItsMessagesButNotOtherQueuesShareOfThem() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            await(store.addQueue(queue(2)));
            await(store.addMessage(message(1, 10), queues(1)));
            await(store.addMessage(message(2, 10), queues(1, 2)));
            await(store.removeQueue(1));
            await(store.addMessage(message(3, 10), queues(1, 2)));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredQueues()).containsExactly(queue(2));
            assertThat(store.recoveredMessages()).containsOnlyKeys(2L);
            assertThat(store.recoveredMessages().get(2L)).containsExactly(2, 3);
            assertThatThrownBy(() -> store.loadMessage(1)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void messagesForQueuesThatAreNotDurableAreNotRecovered() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            await(store.addMessage(message(1, 10), queues(1, 5)));
            await(store.addMessage(message(2, 10), queues(6)));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages()).containsOnlyKeys(1L);
            assertThat(store.recoveredMessages().get(1L)).containsExactly(1);
        }
    }

    @Test
    void stateIsPutReplacedAndRemoved() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.putState("mqtt.session", "client-a", bytes("a1")));
            await(store.putState("mqtt.session", "client-b", bytes("b1")));
            await(store.putState("mqtt.retained", "client-a", bytes("retained")));
            await(store.putState("mqtt.session", "client-a", bytes("a2")));
            await(store.putState("mqtt.session", "client-c", new byte[0]));
            await(store.removeState("mqtt.session", "client-b"));
            await(store.removeState("mqtt.session", "never-stored"));
        }

        try (MessageStore store = open(directory)) {
            Map<String, Map<String, byte[]>> state = store.recoveredState();
            assertThat(state).containsOnlyKeys("mqtt.session", "mqtt.retained");
            assertThat(state.get("mqtt.session")).containsOnlyKeys("client-a", "client-c");
            assertThat(state.get("mqtt.session").get("client-a")).isEqualTo(bytes("a2"));
            assertThat(state.get("mqtt.session").get("client-c")).isEmpty();
            assertThat(state.get("mqtt.retained").get("client-a")).isEqualTo(bytes("retained"));
        }
    }

    @Test
    void stateRemovedWithoutWaitingForItsPutStaysRemoved() throws Exception {
        try (MessageStore store = open(directory)) {
            for (int i = 0; i < 100; i++) {
                store.putState("ns", "key-" + i, bytes("v" + i));
                if (i % 2 == 0) {
                    store.removeState("ns", "key-" + i);
                }
            }
            await(store.putState("ns", "last", bytes("x")));
        }

        try (MessageStore store = open(directory)) {
            Map<String, byte[]> state = store.recoveredState().get("ns");
            assertThat(state).hasSize(51).containsKeys("key-1", "key-99", "last").doesNotContainKeys("key-0", "key-98");
        }
    }

    @Test
    void idsContinueAfterSeveralReopens() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            await(store.addMessage(message(10, 10), queues(1)));
        }
        try (MessageStore store = open(directory)) {
            assertThat(store.maxMessageId()).isEqualTo(10);
            await(store.addQueue(queue(2)));
            await(store.addMessage(message(11, 10), queues(2)));
            await(store.acknowledge(2, 11));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.maxMessageId()).isEqualTo(11);
            assertThat(store.maxQueueId()).isEqualTo(2);
            assertThat(store.recoveredMessages()).containsOnlyKeys(1L);
        }
    }

    @Test
    void recordsSpanningManySegmentsAreAllRecovered() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            for (long id = 1; id <= 300; id++) {
                store.addMessage(message(id, 2000), queues(1));
            }
            await(store.putState("ns", "k", bytes("v")));
        }
        assertThat(StoreFixtures.segmentIds(directory)).hasSizeGreaterThan(5);

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages().get(1L)).hasSize(300);
            assertThat(describe(store.loadMessage(300))).isEqualTo(describe(message(300, 2000)));
            assertThat(store.recoveredState().get("ns").get("k")).isEqualTo(bytes("v"));
        }
    }
}
