package io.junction.core.store.journal;

import static io.junction.core.store.journal.JournalFixtures.SEGMENT_SIZE;
import static io.junction.core.store.journal.JournalFixtures.append;
import static io.junction.core.store.journal.JournalFixtures.digests;
import static io.junction.core.store.journal.JournalFixtures.isZero;
import static io.junction.core.store.journal.JournalFixtures.open;
import static io.junction.core.store.journal.JournalFixtures.options;
import static io.junction.core.store.journal.JournalFixtures.payload;
import static io.junction.core.store.journal.JournalFixtures.recordSize;
import static io.junction.core.store.journal.JournalFixtures.reopen;
import static io.junction.core.store.journal.JournalFixtures.segmentPath;
import static io.junction.core.store.journal.JournalFixtures.submitAsOneBatch;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.store.journal.JournalFixtures.Append;
import io.junction.core.store.journal.JournalFixtures.Opened;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IO errors at the file seam fail the batch they hit, take its bytes back so recovery never replays
 * them, and leave the journal working for the tasks after.
 */
class IoFailureTest {

    @TempDir
    Path dir;

    private final InstrumentedFiles files = new InstrumentedFiles();

    private Journal openJournal() throws Exception {
        return open(dir, options(FsyncPolicy.ALWAYS), files).journal();
    }

    @Test
    void failingCreateWhenRollingFailsTheBatchUntilSpaceReturns() throws Exception {
        byte[] filler = payload(1, SEGMENT_SIZE - 16 - recordSize(0) - 300);
        byte[] fitting = payload(4, 100);
        byte[] later = payload(5, 500);
        try (Journal journal = openJournal()) {
            append(journal, filler);
            files.failCreates(true);
            Append fits = Append.of(payload(2, 100));
            Append needsNewSegment = Append.of(payload(3, 500));
            submitAsOneBatch(journal, fits, needsNewSegment);

            assertThat(fits.failure()).isInstanceOf(IOException.class);
            assertThat(needsNewSegment.failure()).isInstanceOf(IOException.class).hasMessageContaining("No space");
            assertThat(journal.segmentIds()).containsExactly(1L);
            assertThat(append(journal, fitting)).as("a record that needs no new segment").hasSize(1);

            files.failCreates(false);
            assertThat(append(journal, later)).containsExactly(Locations.of(2, 16));
        }

        assertThat(leftoverFiles()).containsExactly(segmentPath(dir, 1), segmentPath(dir, 2));
        assertThat(reopen(dir).payloads()).isEqualTo(digests(filler, fitting, later));
    }

    @Test
    void failingCreateOfTheFirstSegmentFailsUntilSpaceReturns() throws Exception {
        try (Journal journal = openJournal()) {
            files.failCreates(true);
            Append failed = Append.of(payload(1, 10));
            journal.submit(failed);
            assertThat(failed.failure()).isInstanceOf(IOException.class);

            files.failCreates(false);
            assertThat(append(journal, payload(2, 10))).containsExactly(Locations.of(1, 16));
        }
        assertThat(reopen(dir).payloads()).isEqualTo(digests(payload(2, 10)));
    }

    @Test
    void failingWriteFailsTheBatchAndLaterTasksSucceed() throws Exception {
        long nextFree;
        try (Journal journal = openJournal()) {
            nextFree = append(journal, payload(1, 100)).get(0) + recordSize(100);
            files.failRecordWrites(1, InstrumentedFiles.ANY_SEGMENT, false);
            Append first = Append.of(payload(2, 100));
            Append second = Append.of(payload(3, 100));
            submitAsOneBatch(journal, first, second);

            assertThat(first.failure()).isInstanceOf(IOException.class);
            assertThat(second.failure()).isInstanceOf(IOException.class);
            assertThat(append(journal, payload(4, 100))).containsExactly(nextFree);
        }
        assertThat(reopen(dir).payloads()).isEqualTo(digests(payload(1, 100), payload(4, 100)));
    }

    @Test
    void partlyWrittenFailedBatchIsTakenBack() throws Exception {
        try (Journal journal = openJournal()) {
            append(journal, payload(1, 100));
            files.failRecordWrites(1, InstrumentedFiles.ANY_SEGMENT, true);
            Append failed = Append.of(payload(2, 100), payload(3, 100), payload(4, 100), payload(5, 100),
                    payload(6, 100), payload(7, 100));
            journal.submit(failed);
            assertThat(failed.failure()).isInstanceOf(IOException.class);

            append(journal, payload(8, 100));
        }
        Opened reopened = reopen(dir);
        assertThat(reopened.payloads()).isEqualTo(digests(payload(1, 100), payload(8, 100)));
        assertThat(reopened.stats().truncatedBytes()).isZero();
    }

    @Test
    void failingForceFailsTheBatchAndZeroesItsBytes() throws Exception {
        try (Journal journal = openJournal()) {
            long end = append(journal, payload(1, 100)).get(0) + recordSize(100);
            files.failForces(1);
            Append failed = Append.of(payload(2, 100), payload(3, 100));
            journal.submit(failed);

            assertThat(failed.failure()).isInstanceOf(IOException.class).hasMessageContaining("fsync");
            assertThat(isZero(segmentPath(dir, 1), Locations.offset(end), SEGMENT_SIZE)).isTrue();
            assertThat(append(journal, payload(4, 100))).containsExactly(end);
        }
        assertThat(reopen(dir).payloads()).isEqualTo(digests(payload(1, 100), payload(4, 100)));
    }

    @Test
    void failureAfterTheBatchMovedToANewSegmentTakesBackItsRecordsInBoth() throws Exception {
        byte[] filler = payload(1, SEGMENT_SIZE - 16 - recordSize(0) - 1000);
        try (Journal journal = openJournal()) {
            append(journal, filler);
            files.failRecordWrites(1, 2, false);
            Append failed = Append.of(payload(2, 300), payload(3, 300), payload(4, 300), payload(5, 300));
            journal.submit(failed);

            assertThat(failed.failure()).isInstanceOf(IOException.class);
            assertThat(journal.segmentIds()).containsExactly(1L);
            assertThat(segmentPath(dir, 2)).doesNotExist();
            assertThat(append(journal, payload(6, 300))).containsExactly(Locations.of(1, SEGMENT_SIZE - 1000));
        }
        assertThat(reopen(dir).payloads()).isEqualTo(digests(filler, payload(6, 300)));
    }

    private List<Path> leftoverFiles() throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.sorted().toList();
        }
    }
}
