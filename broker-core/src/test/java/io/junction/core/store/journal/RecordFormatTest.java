package io.junction.core.store.journal;

import static io.junction.core.store.journal.JournalFixtures.BATCH_SIZE;
import static io.junction.core.store.journal.JournalFixtures.SEGMENT_SIZE;
import static io.junction.core.store.journal.JournalFixtures.append;
import static io.junction.core.store.journal.JournalFixtures.digests;
import static io.junction.core.store.journal.JournalFixtures.open;
import static io.junction.core.store.journal.JournalFixtures.payload;
import static io.junction.core.store.journal.JournalFixtures.recordSize;
import static io.junction.core.store.journal.JournalFixtures.reopen;
import static io.junction.core.store.journal.JournalFixtures.submitAsOneBatch;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.store.journal.JournalFixtures.Append;
import io.junction.core.store.journal.JournalFixtures.Opened;
import io.junction.core.store.journal.JournalFixtures.Rec;
import io.junction.core.store.journal.JournalFixtures.Replayed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is appended comes back from replay: same order, types, payload bytes and locations. */
class RecordFormatTest {

    @TempDir
    Path dir;

    @Test
    void recordsReplayInOrderWithTheirTypesPayloadsAndLocations() throws Exception {
        List<Rec> written = new ArrayList<>();
        byte[] types = {1, 2, 127, -1, -128};
        for (int i = 0; i < 40; i++) {
            written.add(new Rec(types[i % types.length], payload(i, 1 + i * 37)));
        }
        List<Long> locations = new ArrayList<>();
        try (Journal journal = open(dir).journal()) {
            for (int i = 0; i < written.size(); i += 4) {
                Append task = new Append(written.subList(i, i + 4));
                journal.submit(task);
                locations.addAll(task.locations());
            }
        }

        List<Replayed> replayed = reopen(dir).records();

        assertThat(replayed).hasSameSizeAs(written);
        for (int i = 0; i < written.size(); i++) {
            assertThat(replayed.get(i).location()).as("location %d", i).isEqualTo(locations.get(i));
            assertThat(replayed.get(i).type()).as("type %d", i).isEqualTo(written.get(i).type());
            assertThat(replayed.get(i).payload()).as("payload %d", i).isEqualTo(written.get(i).payload());
        }
    }

    @Test
    void firstRecordFollowsTheSegmentHeaderAndRecordsAreLaidOutBackToBack() throws Exception {
        List<Long> locations;
        try (Journal journal = open(dir).journal()) {
            locations = append(journal, payload(1, 10), payload(2, 20), payload(3, 0));
        }

        int second = 16 + recordSize(10);
        assertThat(locations).containsExactly(
                Locations.of(1, 16), Locations.of(1, second), Locations.of(1, second + recordSize(20)));
    }

    @Test
    void emptyPayloadsRoundTrip() throws Exception {
        try (Journal journal = open(dir).journal()) {
            append(journal, new byte[0]);
            append(journal, new byte[0], payload(1, 5), new byte[0]);
        }

        assertThat(reopen(dir).payloads()).isEqualTo(digests(new byte[0], new byte[0], payload(1, 5), new byte[0]));
    }

    @Test
    void payloadExactlyFillingTheRestOfASegmentStaysInThatSegment() throws Exception {
        byte[] filler = payload(2, SEGMENT_SIZE - 16 - recordSize(100) - recordSize(0));
        List<Long> locations = new ArrayList<>();
        try (Journal journal = open(dir).journal()) {
            locations.addAll(append(journal, payload(1, 100)));
            locations.addAll(append(journal, filler));
            locations.addAll(append(journal, payload(3, 1)));
        }

        assertThat(locations).containsExactly(
                Locations.of(1, 16), Locations.of(1, 16 + recordSize(100)), Locations.of(2, 16));
        assertThat(reopen(dir).payloads()).isEqualTo(digests(payload(1, 100), filler, payload(3, 1)));
    }

    @Test
    void largestPayloadFillsAWholeSegment() throws Exception {
        JournalOptions options = JournalFixtures.options();
        byte[] largest = payload(1, options.maxPayload());
        List<Long> locations;
        try (Journal journal = open(dir).journal()) {
            locations = append(journal, payload(2, 10), largest, payload(3, 10));
        }

        assertThat(locations).extracting(Locations::segment).containsExactly(1L, 2L, 3L);
        assertThat(reopen(dir).payloads()).isEqualTo(digests(payload(2, 10), largest, payload(3, 10)));
    }

    @Test
    void recordsLargerThanTheBatchBufferRoundTrip() throws Exception {
        byte[] large = payload(1, 3 * BATCH_SIZE + 17);
        try (Journal journal = open(dir).journal()) {
            append(journal, large);
            append(journal, payload(2, 10));
        }

        assertThat(reopen(dir).payloads()).isEqualTo(digests(large, payload(2, 10)));
    }

    @Test
    void largeRecordAfterBufferedRecordsOfTheSameBatchKeepsItsPlace() throws Exception {
        byte[] large = payload(2, 2 * BATCH_SIZE);
        List<Long> locations;
        try (Journal journal = open(dir).journal()) {
            locations = append(journal, payload(1, 100), large, payload(3, 100));
        }

        Opened opened = reopen(dir);
        assertThat(opened.payloads()).isEqualTo(digests(payload(1, 100), large, payload(3, 100)));
        assertThat(opened.locations()).isEqualTo(locations);
        assertThat(opened.stats().truncatedBytes()).isZero();
    }

    @Test
    void recordTooLargeForASegmentFailsOnlyItsTask() throws Exception {
        JournalOptions options = JournalFixtures.options();
        Append before = Append.of(payload(1, 10));
        Append tooLarge = Append.of(payload(2, options.maxPayload() + 1));
        Append after = Append.of(payload(3, 10));
        try (Journal journal = open(dir).journal()) {
            submitAsOneBatch(journal, before, tooLarge, after);

            assertThat(tooLarge.failure()).isInstanceOf(IllegalArgumentException.class);
            assertThat(before.locations()).hasSize(1);
            assertThat(after.locations()).hasSize(1);
        }

        assertThat(reopen(dir).payloads()).isEqualTo(digests(payload(1, 10), payload(3, 10)));
    }

    @Test
    void replayReportsTheRecordsItFound() throws Exception {
        try (Journal journal = open(dir).journal()) {
            append(journal, payload(1, 10), payload(2, 10), payload(3, 10));
        }

        Journal.ReplayStats stats = reopen(dir).stats();

        assertThat(stats.segments()).isEqualTo(1);
        assertThat(stats.records()).isEqualTo(3);
        assertThat(stats.truncatedBytes()).isZero();
    }

    @Test
    void locationsPackSegmentAndOffset() {
        long location = Locations.of(123_456L, 65_000);

        assertThat(Locations.segment(location)).isEqualTo(123_456L);
        assertThat(Locations.offset(location)).isEqualTo(65_000);
        assertThat(Locations.describe(location)).isEqualTo("segment 123456 offset 65000");
    }
}
