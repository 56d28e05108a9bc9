package io.junction.core.store;

import io.junction.core.store.MessageStore.TransactionalSend;
import io.junction.core.store.StoreFixtures.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.junction.core.store.StoreFixtures.MAINTENANCE_DEADLINE;
import static io.junction.core.store.StoreFixtures.SEGMENT_SIZE;
import static io.junction.core.store.StoreFixtures.await;
import static io.junction.core.store.StoreFixtures.contents;
import static io.junction.core.store.StoreFixtures.message;
import static io.junction.core.store.StoreFixtures.open;
import static io.junction.core.store.StoreFixtures.queue;
import static io.junction.core.store.StoreFixtures.segmentIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Background compaction on a journal of many segments that are mostly acknowledged messages: disk
 * use falls to about the live data, and what a reopened store recovers is the same before and after.
 */
class CompactionTest {

    /** About this many acknowledged 1KB messages fill a 64KB segment. */
    private static final int PER_SEGMENT = 56;
    private static final long FILLER = 100;

    @TempDir
    Path directory;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void awaitSegmentsAtMost(int segments) {
        await().atMost(MAINTENANCE_DEADLINE).pollInterval(Duration.ofMillis(100))
                .until(() -> segmentIds(directory).size() <= segments);
    }

    private void assertReopenedHolds(Model model) throws Exception {
        try (MessageStore store = open(directory)) {
            assertThat(contents(store)).isEqualTo(model.expected());
        }
    }

    @Test
    void liveDataSurvivesCompactionIdenticallyAndDiskUseFalls() throws Exception {
        Model model;
        long m2;
        try (MessageStore store = open(directory)) {
            model = new Model(store);
            model.addQueue(queue(1));
            model.addQueue(new QueueDefinition(2, "client:sub", "prices.>", "price > 1"));
            model.addQueue(queue(3));
            model.addQueue(queue(FILLER));
            long m1 = model.send(1000, 1);
            m2 = model.send(1000, 1, 2);
            model.send(1000, 3);
            model.send(1000, 1, 3);
            model.putState("mqtt", "s1", bytes("one"));
            model.putState("mqtt", "s2", bytes("two"));
            model.putState("mqtt", "s3", bytes("three"));
            model.putState("retained", "a", new byte[2000]);
            model.sendAcknowledged(5 * PER_SEGMENT, 1000, FILLER);

            model.ack(2, m2);
            model.putState("mqtt", "s2", bytes("two, replaced"));
            model.removeState("mqtt", "s3");
            model.removeQueue(3);
            model.sendAcknowledged(5 * PER_SEGMENT, 1000, FILLER);

            model.send(1000, 2);
            model.putState("mqtt", "s3", bytes("three, again"));
            model.addQueue(queue(FILLER + 1));
            model.send(1000, FILLER + 1);
            model.sendAcknowledged(5 * PER_SEGMENT, 1000, FILLER);

            model.ack(1, m1);
            await(model.sendAcknowledged(5 * PER_SEGMENT, 1000, FILLER));
        }
        assertThat(segmentIds(directory).get(segmentIds(directory).size() - 1))
                .as("the journal went through many segments").isGreaterThanOrEqualTo(20);
        assertReopenedHolds(model);

        try (MessageStore store = open(directory)) {
            awaitSegmentsAtMost(2);
            // The journal deletes a compacted segment's file before it drops the segment from its list.
            await().atMost(MAINTENANCE_DEADLINE).pollInterval(Duration.ofMillis(100))
                    .until(() -> store.diskUsage() <= 2L * SEGMENT_SIZE);
        }
        assertReopenedHolds(model);

        // Acknowledge a message now held only by its compaction copy, then compact again.
        try (MessageStore store = open(directory)) {
            model.store = store;
            model.ack(1, m2);
            await(model.sendAcknowledged(4 * PER_SEGMENT, 1000, FILLER));
            awaitSegmentsAtMost(2);
        }
        assertReopenedHolds(model);
    }

    @Test
    void oneOldUnacknowledgedMessageDoesNotPinSegments() throws Exception {
        Model model;
        try (MessageStore store = open(directory)) {
            model = new Model(store);
            model.addQueue(queue(1));
            model.send(500, 1);
            for (int round = 0; round < 25; round++) {
                await(model.sendAcknowledged(PER_SEGMENT, 1000, 1));
            }
            assertThat(segmentIds(directory).get(segmentIds(directory).size() - 1)).isGreaterThanOrEqualTo(20);
            awaitSegmentsAtMost(3);
        }
        assertReopenedHolds(model);
    }

    /**
     * A value put in a segment that stays (it is dense with live messages), replaced in a later one
     * and then removed: once the later segments are deleted, the old value must not come back.
     */
    @Test
    void aRemovedStateValueDoesNotComeBackFromAnOlderSegment() throws Exception {
        Model model;
        try (MessageStore store = open(directory)) {
            model = new Model(store);
            model.addQueue(queue(1));
            model.addQueue(queue(FILLER));
            model.putState("ns", "k", bytes("first"));
            for (int i = 0; i < 45; i++) {
                model.send(1000, 1);
            }
            model.sendAcknowledged(PER_SEGMENT, 1000, FILLER);
            model.putState("ns", "k", bytes("second"));
            model.sendAcknowledged(PER_SEGMENT, 1000, FILLER);
            model.removeState("ns", "k");
            await(model.sendAcknowledged(3 * PER_SEGMENT, 1000, FILLER));
            awaitSegmentsAtMost(2);
            assertThat(segmentIds(directory)).as("the dense first segment stays").contains(1L);
        }
        assertReopenedHolds(model);
    }

    /**
     * A removal carried forward out of a sparse segment lands after a value put later in another
     * segment; that value must then be written again after it.
     */
    @Test
    void aValuePutAfterACarriedForwardRemovalStays() throws Exception {
        Model model;
        try (MessageStore store = open(directory)) {
            model = new Model(store);
            model.addQueue(queue(1));
            model.addQueue(queue(FILLER));
            await(model.putState("ns", "k", bytes("first")));
            for (int i = 0; i < 45; i++) {
                model.send(1000, 1);
            }
            model.sendAcknowledged(PER_SEGMENT, 1000, FILLER);
            await(model.removeState("ns", "k"));
            model.sendAcknowledged(PER_SEGMENT, 1000, FILLER);
            await(model.putState("ns", "k", bytes("again, and longer than the removal")));
            await(model.sendAcknowledged(3 * PER_SEGMENT, 1000, FILLER));
            awaitSegmentsAtMost(2);
            assertThat(segmentIds(directory)).as("the dense first segment stays").contains(1L);
        }
        assertReopenedHolds(model);
    }

    /**
     * A transaction committed after recovery rolled one back must get a new id: compaction skips
     * the records of rolled-back transactions, and replay applies all records of an id at its commit.
     */
    @Test
    void aTransactionCommittedAfterARolledBackOneIsCarriedForward() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            await(store.commit(List.of(new TransactionalSend(message(1, 100), new long[] {1})), List.of()));
        }
        StoreFixtures.loseLastCommit(directory);

        try (MessageStore store = open(directory)) {
            await(store.commit(List.of(new TransactionalSend(message(2, 100), new long[] {1})), List.of()));
            await(store.addMessage(message(3, 100), new long[] {1}));
            for (long id = 100; id < 100 + 3 * PER_SEGMENT; id++) {
                store.addMessage(message(id, 1000), new long[] {1});
                store.acknowledge(1, id);
            }
            awaitSegmentsAtMost(2);
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages().get(1L)).containsExactly(2, 3);
        }
    }
}
