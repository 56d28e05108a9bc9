package io.junction.core.store;

import static io.junction.core.store.StoreFixtures.MAINTENANCE_DEADLINE;
import static io.junction.core.store.StoreFixtures.await;
import static io.junction.core.store.StoreFixtures.describe;
import static io.junction.core.store.StoreFixtures.message;
import static io.junction.core.store.StoreFixtures.open;
import static io.junction.core.store.StoreFixtures.queue;
import static io.junction.core.store.StoreFixtures.segmentIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.junction.core.model.Message;
import io.junction.core.schedule.CronExpression;
import io.junction.core.schedule.Schedule;
import io.junction.core.schedule.ScheduleState;
import io.junction.core.store.MessageStore.RecoveredSchedule;
import io.junction.core.store.StoreFixtures.Model;
import io.junction.core.store.StoreFixtures.RecordWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Persistent scheduled messages: stored, advanced by deliveries, recovered, compacted, finished. */
class ScheduleStoreTest {

    private static final Schedule REPEATING = new Schedule(1000, 500, 3, null);
    private static final Schedule CRON = new Schedule(0, 0, 0, CronExpression.parse("*/5 9-17 * * MON-FRI"));
    private static final long FILLER = 100;

    @TempDir
    Path directory;

    private static ScheduleState state(long version) {
        return new ScheduleState(1_000_000 + version, 999_000, (int) version % 4, version);
    }

    @Test
    void aScheduleIsRecoveredWithItsMessage() throws Exception {
        Message original = message(7, 300);
        try (MessageStore store = open(directory)) {
            await(store.addSchedule(original, REPEATING, state(0)));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredSchedules()).containsExactly(new RecoveredSchedule(7, REPEATING, state(0)));
            assertThat(describe(await(store.loadScheduled(7)))).isEqualTo(describe(original));
            assertThat(store.maxMessageId()).isEqualTo(7);
            assertThat(store.recoveredMessages()).isEmpty();
        }
    }

    @Test
    void aCronScheduleKeepsItsEntry() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.addSchedule(message(1, 10), CRON, state(0)));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredSchedules()).extracting(RecoveredSchedule::schedule).containsExactly(CRON);
        }
    }

    @Test
    void eachDeliveryIsStoredWithTheStateAfterIt() throws Exception {
        Message delivery = message(20, 50);
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            await(store.addSchedule(message(7, 300), REPEATING, state(0)));
            await(store.scheduleDelivered(7, state(1), message(19, 50), new long[] {1}));
            await(store.scheduleDelivered(7, state(2), delivery, new long[] {1}));
            await(store.acknowledge(1, 19));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredSchedules()).containsExactly(new RecoveredSchedule(7, REPEATING, state(2)));
            assertThat(store.recoveredMessages()).containsOnlyKeys(1L);
            assertThat(store.recoveredMessages().get(1L)).containsExactly(20);
            assertThat(describe(store.loadMessage(20))).isEqualTo(describe(delivery));
        }
    }

    @Test
    void aDeliveryToNoDurableQueueStoresOnlyTheState() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.addSchedule(message(7, 300), REPEATING, state(0)));
            await(store.scheduleDelivered(7, state(1), null, new long[0]));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredSchedules()).extracting(RecoveredSchedule::state).containsExactly(state(1));
            assertThat(store.recoveredMessages()).isEmpty();
        }
    }

    @Test
    void theLastDeliveryFinishesTheSchedule() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.addQueue(queue(1)));
            await(store.addSchedule(message(7, 300), REPEATING, state(0)));
            await(store.scheduleDelivered(7, state(1), null, new long[0]));
            await(store.scheduleDelivered(7, null, message(8, 10), new long[] {1}));
            assertThatThrownBy(() -> await(store.loadScheduled(7))).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("scheduled message 7 is not stored");
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredSchedules()).isEmpty();
            assertThat(store.recoveredMessages().get(1L)).containsExactly(8);
        }
    }

    @Test
    void aScheduleSentInATransactionExistsOnlyOnceCommitted() throws Exception {
        try (MessageStore store = open(directory)) {
            await(store.commit(List.of(), List.of(new MessageStore.TransactionalSchedule(message(7, 30), REPEATING,
                    state(0))), List.of()));
            await(store.commit(List.of(), List.of(new MessageStore.TransactionalSchedule(message(8, 30), REPEATING,
                    state(0))), List.of()));
        }
        StoreFixtures.loseLastCommit(directory);

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredSchedules()).extracting(RecoveredSchedule::id).containsExactly(7L);
        }
    }

    @Test
    void compactionCarriesALiveScheduleWithItsLatestStateAndDropsAFinishedOne() throws Exception {
        Message kept = message(1_000_001, 2000);
        try (MessageStore store = open(directory)) {
            Model model = new Model(store);
            await(model.addQueue(queue(FILLER)));
            await(store.addSchedule(kept, REPEATING, state(0)));
            await(store.addSchedule(message(1_000_002, 2000), REPEATING, state(0)));
            await(store.scheduleDelivered(1_000_001, state(1), null, new long[0]));
            // Fill a dozen segments with acknowledged messages, updating the schedule on the way.
            for (int round = 2; round <= 6; round++) {
                await(model.sendAcknowledged(150, 1000, FILLER));
                await(store.scheduleDelivered(1_000_001, state(round), null, new long[0]));
            }
            await(store.scheduleDelivered(1_000_002, null, null, new long[0]));
            await(model.sendAcknowledged(150, 1000, FILLER));
            await().atMost(MAINTENANCE_DEADLINE).pollInterval(Duration.ofMillis(100))
                    .until(() -> segmentIds(directory).size() <= 3);
            assertThat(describe(await(store.loadScheduled(1_000_001)))).isEqualTo(describe(kept));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredSchedules()).containsExactly(new RecoveredSchedule(1_000_001, REPEATING, state(6)));
            assertThat(describe(await(store.loadScheduled(1_000_001)))).isEqualTo(describe(kept));
        }
    }

    @Test
    void replayTakesTheStateWithTheHighestVersionWhateverTheOrder() throws Exception {
        try (RecordWriter writer = new RecordWriter(directory)) {
            // A compaction copy holding version 3, then an older state record left behind in a later segment
            // (as a crash between a copy and the deletion of its original can leave), and a state of a
            // schedule that is no longer stored.
            writer.write(RecordType.SCHEDULE, StoreRecords.schedule(0, StoreRecords.COPY, REPEATING, state(3),
                    StoreRecords.encode(message(7, 10))));
            writer.roll();
            writer.write(RecordType.SCHEDULE_STATE, StoreRecords.scheduleState(7, state(2)));
            writer.write(RecordType.SCHEDULE_STATE, StoreRecords.scheduleState(99, state(5)));
        }

        try (MessageStore store = open(directory)) {
            assertThat(store.recoveredSchedules()).containsExactly(new RecoveredSchedule(7, REPEATING, state(3)));
        }
    }
}
