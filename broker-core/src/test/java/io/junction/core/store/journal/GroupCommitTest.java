package io.junction.core.store.journal;

import static io.junction.core.store.journal.JournalFixtures.BATCH_SIZE;
import static io.junction.core.store.journal.JournalFixtures.TYPE;
import static io.junction.core.store.journal.JournalFixtures.WAIT;
import static io.junction.core.store.journal.JournalFixtures.append;
import static io.junction.core.store.journal.JournalFixtures.open;
import static io.junction.core.store.journal.JournalFixtures.options;
import static io.junction.core.store.journal.JournalFixtures.payload;
import static io.junction.core.store.journal.JournalFixtures.recordSize;
import static io.junction.core.store.journal.JournalFixtures.reopen;
import static io.junction.core.store.journal.JournalFixtures.submitAsOneBatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.junction.core.store.journal.JournalFixtures.Append;
import io.junction.core.store.journal.JournalFixtures.Opened;
import io.junction.core.store.journal.JournalFixtures.Rec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** When tasks are told their records are written, relative to the fsyncs, per policy. */
class GroupCommitTest {

    private static final int THREADS = 16;
    private static final int TASKS_PER_THREAD = 125;

    @TempDir
    Path dir;

    private final InstrumentedFiles files = new InstrumentedFiles();

    /** Notes whether, when it was told of success, a force had covered its record. */
    private final class ForceChecking extends Append {

        private final Queue<String> violations;
        private final int size;
        volatile boolean forcedAtDone;

        ForceChecking(Queue<String> violations, byte[] payload) {
            super(List.of(new Rec(TYPE, payload)));
            this.violations = violations;
            this.size = recordSize(payload.length);
        }

        @Override
        public void done(Throwable failure) {
            if (failure == null) {
                long location = appended().get(0);
                forcedAtDone = files.forcedEnd(Locations.segment(location)) >= Locations.offset(location) + size;
                if (!forcedAtDone) {
                    violations.add(Locations.describe(location) + " was acknowledged before it was forced");
                }
            }
            super.done(failure);
        }
    }

    @ParameterizedTest(name = "each producer waits for its task before the next: {0}")
    @ValueSource(booleans = {true, false})
    void alwaysAcknowledgesEveryTaskAfterAForceCoveringItsRecordAndBatchesConcurrentTasks(boolean synchronous)
            throws Exception {
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        Opened opened = open(dir, options(FsyncPolicy.ALWAYS), files);
        ExecutorService producers = Executors.newFixedThreadPool(THREADS);
        try (Journal journal = opened.journal()) {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                running.add(producers.submit(() -> {
                    List<ForceChecking> submitted = new ArrayList<>();
                    for (int i = 0; i < TASKS_PER_THREAD; i++) {
                        ForceChecking task = new ForceChecking(violations, payload(thread * 1000 + i, 100));
                        submitted.add(task);
                        journal.submit(task);
                        if (synchronous) {
                            task.locations();
                        }
                    }
                    for (ForceChecking task : submitted) {
                        task.locations();
                    }
                    return null;
                }));
            }
            for (Future<?> producer : running) {
                producer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            producers.shutdownNow();
        }

        int tasks = THREADS * TASKS_PER_THREAD;
        assertThat(violations).isEmpty();
        assertThat(files.forces()).as("fsyncs for %d tasks", tasks).isLessThan(tasks);
        assertThat(files.writesOverUnforcedData()).isZero();
        assertThat(reopen(dir).records()).hasSize(tasks);
    }

    @Test
    void alwaysForcesTasksQueuedTogetherOnce() throws Exception {
        try (Journal journal = open(dir, options(FsyncPolicy.ALWAYS), files).journal()) {
            append(journal, payload(0, 10));
            int before = files.forces();
            List<Append> tasks = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                tasks.add(Append.of(payload(i, 50)));
            }
            submitAsOneBatch(journal, tasks.toArray(Append[]::new));
            for (Append task : tasks) {
                task.locations();
            }

            // One force for the batch holding the gate, one for the 50 tasks.
            assertThat(files.forces() - before).isEqualTo(2);
        }
    }

    @Test
    void alwaysForcesEveryMaxBatchBytesSoThatATornBatchIsNoLongerThanThat() throws Exception {
        byte[][] payloads = new byte[16][];
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = payload(i, i == 12 ? 3 * BATCH_SIZE : 1000);
        }
        try (Journal journal = open(dir, options(FsyncPolicy.ALWAYS), files).journal()) {
            append(journal, payloads);
        }

        assertThat(files.writesOverUnforcedData()).isZero();
        assertThat(reopen(dir).records()).hasSize(payloads.length);
    }

    @Test
    void intervalAcknowledgesBeforeForcingAndForcesWithinTheInterval() throws Exception {
        try (Journal journal = open(dir, options(FsyncPolicy.INTERVAL, Duration.ofMillis(100)), files).journal()) {
            ForceChecking task = new ForceChecking(new ConcurrentLinkedQueue<>(), payload(1, 100));
            journal.submit(task);
            long location = task.locations().get(0);

            assertThat(task.forcedAtDone).isFalse();
            long end = Locations.offset(location) + recordSize(100);
            await().atMost(WAIT).until(() -> files.forcedEnd(Locations.segment(location)) >= end);
        }
    }

    @Test
    void intervalForcesASegmentBeforeMovingToTheNext() throws Exception {
        try (Journal journal = open(dir, options(FsyncPolicy.INTERVAL, Duration.ofHours(1)), files).journal()) {
            long lastOfFirst = append(journal, payload(0, 4000)).get(0);
            long location = lastOfFirst;
            for (int i = 1; Locations.segment(location) == 1; i++) {
                lastOfFirst = location;
                location = append(journal, payload(i, 4000)).get(0);
            }

            assertThat(files.forcedEnd(1)).isGreaterThanOrEqualTo(Locations.offset(lastOfFirst) + recordSize(4000));
        }
    }

    @Test
    void neverForcesRecords() throws Exception {
        try (Journal journal = open(dir, options(FsyncPolicy.NEVER), files).journal()) {
            for (int i = 0; i < 40; i++) {
                append(journal, payload(i, 4000));
            }

            assertThat(journal.segmentIds()).hasSizeGreaterThan(1).allSatisfy(id ->
                    assertThat(files.forcedEnd(id)).as("forced part of segment %d", id)
                            .isEqualTo(RecordFormat.SEGMENT_HEADER_SIZE));
        }
    }
}
