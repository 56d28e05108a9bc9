package io.junction.core.store;

import io.junction.core.store.MessageStore.TransactionalAck;
import io.junction.core.store.MessageStore.TransactionalSend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.junction.core.store.StoreFixtures.await;
import static io.junction.core.store.StoreFixtures.describe;
import static io.junction.core.store.StoreFixtures.message;
import static io.junction.core.store.StoreFixtures.open;
import static io.junction.core.store.StoreFixtures.queue;
import static io.junction.core.store.StoreFixtures.queues;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local transactions: all of a committed one survives, none of one whose TX_COMMIT record never
 * reached the disk (see {@link StoreFixtures#loseLastCommit(Path)}).
 */
class MessageStoreTransactionTest {

    @TempDir
    Path directory;

    private static TransactionalSend send(long id, long... queueIds) {
        return new TransactionalSend(message(id, 50), queueIds);
    }

    private void writeQueuesAndTwoMessages(MessageStore store) throws Exception {
        await(store.addQueue(queue(1)));
        await(store.addQueue(queue(2)));
        await(store.addMessage(message(1, 50), queues(1, 2)));
        await(store.addMessage(message(2, 50), queues(1)));
    }

    @Test
    void aCommittedTransactionSurvivesWhole() throws Exception {
        try (MessageStore store = open(directory)) {
            writeQueuesAndTwoMessages(store);
            await(store.commit(List.of(send(10, 1), send(11, 1, 2)),
                    List.of(new TransactionalAck(1, 1), new TransactionalAck(1, 2))));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages().get(1L)).containsExactly(10, 11);
            assertThat(store.recoveredMessages().get(2L)).containsExactly(1, 11);
            assertThat(describe(store.loadMessage(11))).isEqualTo(describe(message(11, 50)));
            assertThat(store.maxMessageId()).isEqualTo(11);
        }
    }

    @Test
    void aTransactionWithoutItsCommitRecordIsRolledBack() throws Exception {
        try (MessageStore store = open(directory)) {
            writeQueuesAndTwoMessages(store);
            await(store.commit(List.of(send(10, 1)), List.of(new TransactionalAck(1, 1))));
            await(store.commit(List.of(send(20, 1, 2), send(21, 2)),
                    List.of(new TransactionalAck(1, 2), new TransactionalAck(2, 1))));
        }
        StoreFixtures.loseLastCommit(directory);

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages().get(1L)).as("first committed, second rolled back")
                    .containsExactly(2, 10);
            assertThat(store.recoveredMessages().get(2L)).containsExactly(1);
        }
    }

    @Test
    void aRolledBackTransactionStaysRolledBackWhenLaterTransactionsCommit() throws Exception {
        try (MessageStore store = open(directory)) {
            writeQueuesAndTwoMessages(store);
            await(store.commit(List.of(send(10, 1)), List.of(new TransactionalAck(1, 1))));
        }
        StoreFixtures.loseLastCommit(directory);
        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages().get(1L)).containsExactly(1, 2);
            await(store.commit(List.of(send(30, 2)), List.of(new TransactionalAck(1, 2))));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages().get(1L)).as("message 1 kept, 10 never sent, 2 acknowledged")
                    .containsExactly(1);
            assertThat(store.recoveredMessages().get(2L)).containsExactly(1, 30);
        }
    }

    @Test
    void anEmptyTransactionWritesNothing() throws Exception {
        try (MessageStore store = open(directory)) {
            assertThat(store.commit(List.of(), List.of())).isCompleted();
        }
    }

    @Test
    void aTransactionCanAcknowledgeWhatItSends() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            await(store.commit(List.of(send(5, 1), send(6, 1)), List.of(new TransactionalAck(1, 5))));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages().get(1L)).containsExactly(6);
        }
    }
}
