package io.junction.core.store.journal;

import static io.junction.core.store.journal.JournalFixtures.SEGMENT_SIZE;
import static io.junction.core.store.journal.JournalFixtures.TYPE;
import static io.junction.core.store.journal.JournalFixtures.append;
import static io.junction.core.store.journal.JournalFixtures.open;
import static io.junction.core.store.journal.JournalFixtures.payload;
import static io.junction.core.store.journal.JournalFixtures.read;
import static io.junction.core.store.journal.JournalFixtures.recordSize;
import static io.junction.core.store.journal.JournalFixtures.reopen;
import static io.junction.core.store.journal.JournalFixtures.segmentPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.store.journal.JournalFixtures.Append;
import io.junction.core.store.journal.JournalFixtures.Opened;
import io.junction.core.store.journal.JournalFixtures.Rec;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records fill fixed-size, preallocated segments one after another. */
class SegmentRollingTest {

    private static final int RECORDS = 60;
    private static final int PAYLOAD = 4000;

    @TempDir
    Path dir;

    @Test
    void manyRecordsSpanSeveralSegmentsAndReplayInOrder() throws Exception {
        List<Long> locations = new ArrayList<>();
        List<Long> segments;
        try (Journal journal = open(dir).journal()) {
            for (int i = 0; i < RECORDS; i += 5) {
                locations.addAll(append(journal, IntStream.range(i, i + 5).mapToObj(n -> payload(n, PAYLOAD))
                        .toArray(byte[][]::new)));
            }
            segments = journal.segmentIds();
            assertThat(journal.currentSegment()).isEqualTo(segments.get(segments.size() - 1));
            assertThat(journal.diskUsage()).isEqualTo((long) segments.size() * SEGMENT_SIZE);
        }

        assertThat(segments).hasSizeGreaterThanOrEqualTo(4)
                .isEqualTo(LongStream.rangeClosed(1, segments.size()).boxed().toList());
        assertThat(locations).extracting(Locations::segment).isSorted();
        assertThat(locations).allSatisfy(location ->
                assertThat(Locations.offset(location) + recordSize(PAYLOAD)).isLessThanOrEqualTo(SEGMENT_SIZE));
        Opened replayed = reopen(dir);
        assertThat(replayed.locations()).isEqualTo(locations);
        assertThat(replayed.payloads()).isEqualTo(IntStream.range(0, RECORDS)
                .mapToObj(n -> JournalFixtures.digest(payload(n, PAYLOAD))).toList());
        assertThat(replayed.stats().segments()).isEqualTo(segments.size());
    }

    @Test
    void segmentsAreNamedByTheirTwentyDigitIdAndPreallocated() throws Exception {
        try (Journal journal = open(dir).journal()) {
            for (int i = 0; i < RECORDS; i++) {
                append(journal, payload(i, PAYLOAD));
            }
        }

        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(4);
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            assertThat(file.getFileName().toString()).matches("journal-\\d{20}\\.seg");
            assertThat(file).isEqualTo(segmentPath(dir, i + 1));
            assertThat(Files.size(file)).isEqualTo(SEGMENT_SIZE);
        }
    }

    @Test
    void eachSegmentStartsWithItsHeader() throws Exception {
        try (Journal journal = open(dir).journal()) {
            for (int i = 0; i < 40; i++) {
                append(journal, payload(i, PAYLOAD));
            }
        }

        for (long id = 1; Files.exists(segmentPath(dir, id)); id++) {
            ByteBuffer header = ByteBuffer.wrap(read(segmentPath(dir, id), 0, RecordFormat.SEGMENT_HEADER_SIZE));
            assertThat(header.getInt()).as("magic").isEqualTo(0x4A4E4C4A);
            assertThat(header.getShort()).as("version").isEqualTo((short) 1);
            assertThat(header.getShort()).as("reserved").isZero();
            assertThat(header.getLong()).as("segment id").isEqualTo(id);
        }
    }

    @Test
    void recordThatDoesNotFitTheRestOfASegmentStartsTheNext() throws Exception {
        try (Journal journal = open(dir).journal()) {
            long filler = append(journal, payload(1, SEGMENT_SIZE - 16 - recordSize(0) - 100)).get(0);
            long next = append(journal, payload(2, 100)).get(0);

            assertThat(Locations.segment(filler)).isEqualTo(1);
            assertThat(next).isEqualTo(Locations.of(2, 16));
        }
    }

    @Test
    void reserveKeepsAGroupOfRecordsInOneSegment() throws Exception {
        int room = 2 * recordSize(300) + 10;
        List<Rec> group = List.of(new Rec(TYPE, payload(2, 300)), new Rec(TYPE, payload(3, 300)),
                new Rec(TYPE, payload(4, 300)));
        List<Long> unreserved;
        List<Long> reserved;
        try (Journal journal = open(dir).journal()) {
            append(journal, payload(1, SEGMENT_SIZE - 16 - recordSize(0) - room));
            unreserved = appendGroup(journal, group, false);
            append(journal, payload(5, SEGMENT_SIZE - 16 - recordSize(300) - recordSize(0) - room));
            reserved = appendGroup(journal, group, true);
        }

        assertThat(unreserved).extracting(Locations::segment).containsExactly(1L, 1L, 2L);
        assertThat(reserved).extracting(Locations::segment).containsExactly(3L, 3L, 3L);
        assertThat(reserved.get(0)).isEqualTo(Locations.of(3, 16));
        assertThat(reopen(dir).records()).hasSize(8);
    }

    private static List<Long> appendGroup(Journal journal, List<Rec> group, boolean reserve) throws Exception {
        Append task = new Append(group) {
            @Override
            public void write(Appender appender) {
                if (reserve) {
                    appender.reserve(group.stream().mapToInt(r -> appender.recordSize(r.payload().length)).sum());
                }
                super.write(appender);
            }
        };
        journal.submit(task);
        return task.locations();
    }
}
