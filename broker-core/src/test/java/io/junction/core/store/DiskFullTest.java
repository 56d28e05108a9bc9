package io.junction.core.store;

import static io.junction.core.store.DiskFullFiles.NO_SPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.Delivery;
import io.junction.core.store.journal.FsyncPolicy;
import io.junction.core.store.journal.JournalFiles;
import io.junction.core.store.journal.JournalOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk at the journal's file seam: the stores and sends it hits fail with the IO error, the
 * store and the broker keep working and pick up again when space returns, and after a restart
 * exactly what was acknowledged as stored is there, and nothing that failed.
 */
class DiskFullTest {

    /** Small segments, so that a few messages fill one and the next needs a new file. */
    private static final JournalOptions OPTIONS =
            new JournalOptions(64 * 1024, FsyncPolicy.ALWAYS, Duration.ofMillis(100), 16 * 1024);
    private static final int BODY_SIZE = 6 * 1024;
    private static final long QUEUE = 1;
    private static final Duration WAIT = DiskFullBroker.WAIT;
    private static final Duration QUIET = Duration.ofMillis(300);

    @TempDir
    Path directory;

    private final DiskFullFiles files = new DiskFullFiles();

    @Test
    void storesThatNeedANewSegmentFailWhileTheDiskIsFullAndLaterOnesSucceed() throws Exception {
        List<Long> stored = new ArrayList<>();
        try (MessageStore store = open(files)) {
            assertThat(outcome(store.addQueue(new QueueDefinition(QUEUE, "orders", null, null)))).isNull();
            files.fill();
            List<Throwable> failures = new ArrayList<>();
            long id = 0;
            while (failures.size() < 3 && id < 100) {
                Throwable failure = outcome(store.addMessage(message(++id), new long[] {QUEUE}));
                if (failure == null) {
                    stored.add(id);
                } else {
                    failures.add(failure);
                }
            }
            assertThat(stored).as("messages that still fit the segment preallocated before the disk filled")
                    .isNotEmpty();
            assertThat(failures).as("stores after the segment filled, out of %d", id).hasSize(3)
                    .allSatisfy(failure -> assertThat(failure).isInstanceOf(IOException.class)
                            .hasMessageContaining(NO_SPACE));

            files.spaceReturns();
            for (int i = 0; i < 5; i++) {
                assertThat(outcome(store.addMessage(message(++id), new long[] {QUEUE})))
                        .as("store of message %d once space returned", id).isNull();
                stored.add(id);
            }
        }

        assertRecoveredExactly(stored);
    }

    @Test
    void failedWritesFailEveryStoreOfTheirBatchAndNoneOfThemIsRecovered() throws Exception {
        List<Long> stored = new ArrayList<>();
        try (MessageStore store = open(files)) {
            assertThat(outcome(store.addQueue(new QueueDefinition(QUEUE, "orders", null, null)))).isNull();
            for (long id = 1; id <= 3; id++) {
                assertThat(outcome(store.addMessage(message(id), new long[] {QUEUE}))).isNull();
                stored.add(id);
            }

            files.fillIncludingWrites();
            List<CompletableFuture<Void>> refused = new ArrayList<>();
            for (long id = 4; id <= 8; id++) {
                refused.add(store.addMessage(message(id), new long[] {QUEUE}));
            }
            for (CompletableFuture<Void> future : refused) {
                assertThat(outcome(future)).isInstanceOf(IOException.class).hasMessageContaining(NO_SPACE);
            }

            files.spaceReturns();
            for (long id = 9; id <= 11; id++) {
                assertThat(outcome(store.addMessage(message(id), new long[] {QUEUE})))
                        .as("store of message %d once space returned", id).isNull();
                stored.add(id);
            }
        }

        assertRecoveredExactly(stored);
    }

    @Test
    void brokerRefusesPersistentSendsWhileFullKeepsWorkingAndRecoversWhatItAcknowledged() throws Exception {
        Path journal = directory.resolve("journal");
        try (DiskFullBroker broker = DiskFullBroker.start(journal, OPTIONS, files)) {
            assertThat(broker.send("orders", "stored before", true)).isNull();
            files.fillIncludingWrites();

            assertThat(broker.send("orders", "refused", true)).as("persistent send while the disk is full")
                    .hasMessageContaining(NO_SPACE);
            assertThat(broker.send("orders", "kept in memory", false)).as("non-persistent send while full").isNull();

            files.spaceReturns();
            assertThat(broker.send("orders", "stored after", true)).as("persistent send once space returned")
                    .isNull();
            assertThat(broker.depth("orders")).as("the refused message was never enqueued").isEqualTo(3);
        }
        assertThat(files.refusals()).isPositive();

        try (DiskFullBroker restarted = DiskFullBroker.start(journal, OPTIONS, JournalFiles.DISK)) {
            List<Delivery> recovered = restarted.drain("orders", QUIET);
            assertThat(recovered).extracting(d -> d.message().bodyAsText())
                    .containsExactly("stored before", "stored after");
            assertThat(recovered).allSatisfy(d -> assertThat(d.redelivered()).as("recovered, so marked redelivered")
                    .isTrue());
        }
    }

    @Test
    void queueFirstUsedWhileTheDiskIsFullKeepsWhatItAcknowledgesOnceSpaceReturns() throws Exception {
        Path journal = directory.resolve("journal");
        try (DiskFullBroker broker = DiskFullBroker.start(journal, OPTIONS, files)) {
            files.fill();
            assertThat(broker.send("late", "refused", true)).as("first send to a new queue while the disk is full")
                    .hasMessageContaining(NO_SPACE);

            files.spaceReturns();
            assertThat(broker.send("late", "acknowledged", true)).as("persistent send once space returned").isNull();
        }

        try (DiskFullBroker restarted = DiskFullBroker.start(journal, OPTIONS, JournalFiles.DISK)) {
            assertThat(restarted.drain("late", QUIET)).as("messages of queue 'late' after a restart")
                    .extracting(d -> d.message().bodyAsText()).containsExactly("acknowledged");
        }
    }

    private MessageStore open(JournalFiles journalFiles) throws Exception {
        return MessageStore.open(directory.resolve("journal"), OPTIONS, journalFiles, 50);
    }

    private void assertRecoveredExactly(List<Long> stored) throws Exception {
        try (MessageStore reopened = open(JournalFiles.DISK)) {
            long[] recovered = reopened.recoveredMessages().getOrDefault(QUEUE, new long[0]);
            assertThat(recovered).as("message ids recovered; failed stores must not come back")
                    .containsExactly(stored.stream().mapToLong(Long::longValue).toArray());
            for (long id : recovered) {
                assertThat(reopened.loadMessage(id).body()).as("body of message %d", id).isEqualTo(body(id));
            }
        }
    }

    /** Null when the future succeeded, else its failure. */
    private static Throwable outcome(CompletableFuture<Void> future) throws Exception {
        try {
            future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException failed) {
            return failed.getCause();
        }
    }

    private static Message message(long id) {
        Message message = Message.builder(Destination.queue("orders")).persistent(true)
                .body(BodyType.BYTES, body(id)).build();
        message.assignBrokerId(id);
        return message;
    }

    private static byte[] body(long id) {
        byte[] body = new byte[BODY_SIZE];
        Arrays.fill(body, (byte) id);
        return body;
    }
}
