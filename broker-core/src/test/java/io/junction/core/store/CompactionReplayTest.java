package io.junction.core.store;

import io.junction.core.model.Message;
import io.junction.core.store.StoreFixtures.RecordWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.junction.core.store.StoreFixtures.describe;
import static io.junction.core.store.StoreFixtures.message;
import static io.junction.core.store.StoreFixtures.open;
import static io.junction.core.store.StoreFixtures.queue;
import static io.junction.core.store.StoreFixtures.queues;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery of the record orders that compaction leaves on disk, laid out record by record: copies
 * next to the originals they replace (a crash between writing the copies and deleting the compacted
 * segment), copies alone (the segment was deleted), and records carried forward past later ones.
 */
class CompactionReplayTest {

    @TempDir
    Path directory;

    private final Message m = message(7, 300);

    private RecordWriter writer() throws Exception {
        return new RecordWriter(directory);
    }

    private static void queueAdd(RecordWriter w, long id) throws Exception {
        w.write(RecordType.QUEUE_ADD, StoreRecords.queueAdd(queue(id)));
    }

    @Test
    void copyNextToItsOriginalKeepsOnlyTheQueuesTheCopyNames() throws Exception {
        try (RecordWriter w = writer()) {
            queueAdd(w, 1);
            queueAdd(w, 2);
            long original = w.message(0, false, queues(1, 2), m);
            w.roll();
            w.ack(0, 1, m.brokerId(), original);
            w.roll();
            w.message(0, true, queues(2), m);
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages()).containsOnlyKeys(2L);
            assertThat(store.recoveredMessages().get(2L)).containsExactly(7);
            assertThat(describe(store.loadMessage(7))).isEqualTo(describe(m));
        }
    }

    @Test
    void anAckCarriedPastTheCopyOfItsMessageStillApplies() throws Exception {
        try (RecordWriter w = writer()) {
            queueAdd(w, 1);
            queueAdd(w, 2);
            long original = w.message(0, false, queues(1, 2), m);
            w.roll();
            long copy = w.message(0, true, queues(1, 2), m);
            w.roll();
            w.ack(0, 2, m.brokerId(), copy);
            w.ack(0, 1, 999, original);
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages()).containsOnlyKeys(1L);
            assertThat(describe(store.loadMessage(7))).isEqualTo(describe(m));
        }
    }

    @Test
    void aCopyWhoseOriginalSegmentIsGoneStandsAlone() throws Exception {
        try (RecordWriter w = writer()) {
            queueAdd(w, 1);
            queueAdd(w, 2);
            w.ack(0, 1, m.brokerId(), 0);
            w.message(0, true, queues(2), m);
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages()).containsOnlyKeys(2L);
            assertThat(store.maxMessageId()).isEqualTo(7);
        }
    }

    @Test
    void aCopyDoesNotBringBackAQueueRemovedAfterIt() throws Exception {
        try (RecordWriter w = writer()) {
            queueAdd(w, 1);
            queueAdd(w, 2);
            w.message(0, false, queues(1, 2), m);
            w.roll();
            w.message(0, true, queues(1, 2), m);
            w.write(RecordType.QUEUE_REMOVE, StoreRecords.longs(2));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredQueues()).containsExactly(queue(1));
            assertThat(store.recoveredMessages()).containsOnlyKeys(1L);
        }
    }

    /** A queue definition carried forward lands after messages of that queue in older segments. */
    @Test
    void messagesBeforeTheirCarriedForwardQueueDefinitionAreKept() throws Exception {
        try (RecordWriter w = writer()) {
            w.message(0, false, queues(1), m);
            w.message(0, false, queues(1, 2), message(8, 10));
            w.message(0, false, queues(3), message(9, 10));
            w.roll();
            queueAdd(w, 2);
            queueAdd(w, 1);
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredQueues()).containsExactly(queue(1), queue(2));
            assertThat(store.recoveredMessages()).containsOnlyKeys(1L, 2L);
            assertThat(store.recoveredMessages().get(1L)).containsExactly(7, 8);
            assertThat(store.recoveredMessages().get(2L)).containsExactly(8);
            assertThat(store.maxMessageId()).isEqualTo(9);
        }
    }

    @Test
    void aQueueRemovedAfterItsCarriedForwardDefinitionStaysRemoved() throws Exception {
        try (RecordWriter w = writer()) {
            w.message(0, false, queues(1), m);
            w.roll();
            queueAdd(w, 1);
            w.write(RecordType.QUEUE_REMOVE, StoreRecords.longs(1));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredQueues()).isEmpty();
            assertThat(store.recoveredMessages()).isEmpty();
            assertThat(store.maxQueueId()).isEqualTo(1);
        }
    }

    /** Compacting a segment whose state removal is followed by a new value carries both, in that order. */
    @Test
    void aStateRemovalCarriedForwardIsFollowedByTheValuePutAfterIt() throws Exception {
        byte[] v1 = "v1".getBytes(StandardCharsets.UTF_8);
        byte[] v2 = "v2".getBytes(StandardCharsets.UTF_8);
        try (RecordWriter w = writer()) {
            long first = w.write(RecordType.STATE_PUT, StoreRecords.statePut("ns", "k", v1));
            w.write(RecordType.STATE_PUT, StoreRecords.statePut("ns", "gone", v1));
            w.roll();
            w.write(RecordType.STATE_REMOVE, StoreRecords.stateRemove("ns", "k", first));
            w.write(RecordType.STATE_REMOVE, StoreRecords.stateRemove("ns", "gone", first));
            w.roll();
            w.write(RecordType.STATE_PUT, StoreRecords.statePut("ns", "k", v2));
            w.roll();
            w.write(RecordType.STATE_REMOVE, StoreRecords.stateRemove("ns", "k", first));
            w.write(RecordType.STATE_PUT, StoreRecords.statePut("ns", "k", v2));
            w.write(RecordType.STATE_REMOVE, StoreRecords.stateRemove("ns", "gone", first));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredState()).containsOnlyKeys("ns");
            assertThat(store.recoveredState().get("ns")).containsOnlyKeys("k");
            assertThat(store.recoveredState().get("ns").get("k")).isEqualTo(v2);
        }
    }
}
