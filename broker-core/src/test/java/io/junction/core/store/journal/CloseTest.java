package io.junction.core.store.journal;

import static io.junction.core.store.journal.JournalFixtures.WAIT;
import static io.junction.core.store.journal.JournalFixtures.append;
import static io.junction.core.store.journal.JournalFixtures.open;
import static io.junction.core.store.journal.JournalFixtures.options;
import static io.junction.core.store.journal.JournalFixtures.payload;
import static io.junction.core.store.journal.JournalFixtures.recordSize;
import static io.junction.core.store.journal.JournalFixtures.reopen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.junction.core.store.journal.JournalFixtures.Append;
import io.junction.core.store.journal.JournalFixtures.Gate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** close() finishes what was queued; what comes after is refused. */
class CloseTest {

    private static final Duration POLL = Duration.ofMillis(1);

    @TempDir
    Path dir;

    @Test
    void closeCompletesTheTasksQueuedBeforeIt() throws Exception {
        Journal journal = open(dir).journal();
        Gate gate = new Gate();
        journal.submit(gate);
        gate.awaitEntered();
        List<Append> queued = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Append task = Append.of(payload(i, 200));
            queued.add(task);
            journal.submit(task);
        }

        Thread closer = new Thread(journal::close, "closer");
        closer.start();
        await().atMost(WAIT).pollInterval(POLL).until(() -> closer.getState() == Thread.State.TIMED_WAITING);
        gate.open();
        closer.join(WAIT.toMillis());

        for (Append task : queued) {
            assertThat(task.locations()).hasSize(1);
        }
        assertThat(reopen(dir).records()).hasSize(queued.size());
    }

    @Test
    void submitAfterCloseFailsTheTask() throws Exception {
        Journal journal = open(dir).journal();
        append(journal, payload(1, 10));
        journal.close();

        AtomicInteger writes = new AtomicInteger();
        Append late = new Append(List.of()) {
            @Override
            public void write(Appender appender) {
                writes.incrementAndGet();
            }
        };
        journal.submit(late);

        assertThat(late.failure()).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThat(writes).hasValue(0);
        journal.close();
    }

    @Test
    void closeForcesWhatWasWrittenEvenUnderNever() throws Exception {
        InstrumentedFiles files = new InstrumentedFiles();
        Journal journal = open(dir, options(FsyncPolicy.NEVER), files).journal();
        long location = append(journal, payload(1, 100)).get(0);

        journal.close();

        assertThat(files.forcedEnd(1)).isGreaterThanOrEqualTo(Locations.offset(location) + recordSize(100));
    }

    @Test
    void everyTaskSubmittedWhileClosingIsCompletedExactlyOnce() throws Exception {
        ExecutorService producers = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                Journal journal = open(dir.resolve("round-" + round)).journal();
                Queue<Append> submitted = new ConcurrentLinkedQueue<>();
                AtomicInteger completions = new AtomicInteger();
                List<Future<?>> running = new ArrayList<>();
                for (int p = 0; p < 4; p++) {
                    running.add(producers.submit(() -> {
                        for (int i = 0; ; i++) {
                            Append task = new Append(Append.of(payload(i, 50)).records) {
                                @Override
                                public void done(Throwable failure) {
                                    completions.incrementAndGet();
                                    super.done(failure);
                                }
                            };
                            submitted.add(task);
                            journal.submit(task);
                            try {
                                task.locations();
                            } catch (ExecutionException closed) {
                                return null;
                            }
                        }
                    }));
                }
                await().atMost(WAIT).pollInterval(POLL).until(() -> completions.get() > 100);
                journal.close();
                for (Future<?> producer : running) {
                    producer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }

                await().atMost(WAIT).pollInterval(POLL)
                        .until(() -> submitted.stream().allMatch(task -> task.result.isDone()));
                assertThat(completions).hasValue(submitted.size());
            }
        } finally {
            producers.shutdownNow();
        }
    }
}
