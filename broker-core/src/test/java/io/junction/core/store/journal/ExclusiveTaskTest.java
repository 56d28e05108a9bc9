package io.junction.core.store.journal;

import static io.junction.core.store.journal.JournalFixtures.await;
import static io.junction.core.store.journal.JournalFixtures.payload;
import static io.junction.core.store.journal.JournalFixtures.submitAsOneBatch;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.store.journal.JournalFixtures.Append;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An exclusive task sees every earlier task done and no later one written. */
class ExclusiveTaskTest {

    @TempDir
    Path dir;

    @Test
    void exclusiveTaskRunsInABatchOfItsOwnBetweenTheTasksAroundIt() throws Exception {
        Append before = Append.of(payload(1, 10));
        Append after = Append.of(payload(2, 10));
        CompletableFuture<List<Boolean>> seen = new CompletableFuture<>();
        JournalTask exclusive = new JournalTask() {
            @Override
            public void write(Appender appender) {
                seen.complete(List.of(before.result.isDone(), after.result.isDone()));
            }

            @Override
            public void done(Throwable failure) {
            }

            @Override
            public boolean exclusive() {
                return true;
            }
        };

        try (Journal journal = JournalFixtures.open(dir).journal()) {
            submitAsOneBatch(journal, before, exclusive, after);

            assertThat(await(seen)).as("earlier task done, later task done").containsExactly(true, false);
            assertThat(after.locations()).hasSize(1);
        }
    }
}
