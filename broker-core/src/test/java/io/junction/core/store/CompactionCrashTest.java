package io.junction.core.store;

import io.junction.core.store.StoreFixtures.Model;
import io.junction.core.store.StoreFixtures.RecordWriter;
import io.junction.core.store.journal.ForwardingJournalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.junction.core.store.StoreFixtures.MAINTENANCE_DEADLINE;
import static io.junction.core.store.StoreFixtures.await;
import static io.junction.core.store.StoreFixtures.contents;
import static io.junction.core.store.StoreFixtures.message;
import static io.junction.core.store.StoreFixtures.open;
import static io.junction.core.store.StoreFixtures.queue;
import static io.junction.core.store.StoreFixtures.queues;
import static io.junction.core.store.StoreFixtures.segmentIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crash after compaction wrote the copies of a segment's live records but before it deleted the
 * segment. Made deterministic by refusing to delete segment 1: the store logs the failure and keeps
 * the file, the test closes the store as soon as the deletion was tried (and writes nothing after
 * it), and the journal then holds both the originals and their copies, exactly as after such a crash.
 * Segment 1 is kept dense with live messages until the store that refuses to delete it is open, so
 * that it is compacted there and not before.
 */
class CompactionCrashTest {

    private static final int PER_SEGMENT = 56;

    @TempDir
    Path directory;

    /** The real file system, except that deleting the given segment fails. */
    private static final class KeepingSegment extends ForwardingJournalFiles {
        private final String kept;
        final CountDownLatch deleteTried = new CountDownLatch(1);

        KeepingSegment(long segmentId) {
            super(DISK);
            kept = String.format("journal-%020d.seg", segmentId);
        }

        @Override
        public void delete(Path path) throws IOException {
            if (path.getFileName().toString().equals(kept)) {
                deleteTried.countDown();
                throw new IOException("simulated crash before deleting " + kept);
            }
            super.delete(path);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void copiesNextToTheirOriginalsRecoverTheSameAndAreCompactedLater() throws Exception {
        Model model;
        List<Long> dense = new ArrayList<>();
        try (MessageStore store = open(directory)) {
            model = new Model(store);
            model.addQueue(queue(1));
            model.addQueue(queue(2));
            model.addQueue(queue(3));
            long both = model.send(800, 1, 2);
            model.send(800, 2);
            long dropped = model.send(800, 3);
            model.putState("ns", "kept", bytes("kept"));
            model.putState("ns", "replaced", bytes("old"));
            model.putState("ns", "removed", bytes("removed"));
            for (int i = 0; i < 40; i++) {
                dense.add(model.send(1000, 1));
            }
            model.sendAcknowledged(2 * PER_SEGMENT, 1000, 3);
            model.ack(1, both);
            model.ack(3, dropped);
            model.putState("ns", "replaced", bytes("new"));
            model.removeState("ns", "removed");
            model.removeQueue(3);
            await(model.sendAcknowledged(3 * PER_SEGMENT, 1000, 2));
        }

        KeepingSegment files = new KeepingSegment(1);
        try (MessageStore store = open(directory, files)) {
            model.store = store;
            for (long id : dense) {
                model.ack(1, id);
            }
            assertThat(files.deleteTried.await(MAINTENANCE_DEADLINE.toSeconds(), TimeUnit.SECONDS))
                    .as("compaction of segment 1 finished").isTrue();
        }
        assertThat(segmentIds(directory)).contains(1L);

        try (MessageStore store = open(directory)) {
            assertThat(contents(store)).isEqualTo(model.expected());
            await().atMost(MAINTENANCE_DEADLINE).pollInterval(Duration.ofMillis(100))
                    .until(() -> !segmentIds(directory).contains(1L) && segmentIds(directory).size() <= 2);
        }

        try (MessageStore store = open(directory)) {
            assertThat(contents(store)).isEqualTo(model.expected());
        }
    }

    /**
     * A crash in the middle of compaction's write: only the first copies reached the disk, the
     * compacted segment (kept alive by its other, uncopied, live messages) still holds their
     * originals. Recovery must compact that segment before the segment of the copies can go, or an
     * acknowledgement of a copy would be dropped with it and the original would come back.
     */
    @Test
    void originalsOfPartlyWrittenCopiesDoNotOutliveTheCopies() throws Exception {
        try (RecordWriter w = new RecordWriter(directory)) {
            w.write(RecordType.QUEUE_ADD, StoreRecords.queueAdd(queue(1)));
            for (long id = 1; id <= 41; id++) {
                w.message(0, false, queues(1), message(id, 1000));
            }
            w.roll();
            w.write(RecordType.QUEUE_ADD, StoreRecords.queueAdd(queue(1)));
            w.message(0, true, queues(1), message(1, 1000));
            w.roll();
        }

        try (MessageStore store = open(directory)) {
            store.acknowledge(1, 1);
            for (long id = 100; id < 100 + 2 * PER_SEGMENT; id++) {
                store.addMessage(message(id, 1000), queues(1));
                store.acknowledge(1, id);
            }
            await().atMost(MAINTENANCE_DEADLINE).pollInterval(Duration.ofMillis(100))
                    .until(() -> !segmentIds(directory).contains(2L) && !segmentIds(directory).contains(3L));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredMessages().get(1L)).hasSize(40).doesNotContain(1);
        }
    }
}
