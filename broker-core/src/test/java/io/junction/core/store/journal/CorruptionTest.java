package io.junction.core.store.journal;

import static io.junction.core.store.journal.JournalFixtures.SEGMENT_SIZE;
import static io.junction.core.store.journal.JournalFixtures.append;
import static io.junction.core.store.journal.JournalFixtures.flipByte;
import static io.junction.core.store.journal.JournalFixtures.open;
import static io.junction.core.store.journal.JournalFixtures.overwrite;
import static io.junction.core.store.journal.JournalFixtures.payload;
import static io.junction.core.store.journal.JournalFixtures.reopen;
import static io.junction.core.store.journal.JournalFixtures.segmentPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.junction.core.store.journal.JournalFixtures.Opened;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage that is not a torn tail stops the journal from opening, naming the file and offset, and
 * leaves the files as they were for salvage.
 */
class CorruptionTest {

    private static final int PAYLOAD = 4000;

    @TempDir
    Path dir;

    @Test
    void damagedRecordInAnOlderSegmentStopsOpen() throws Exception {
        List<Long> locations = writeRecords(30, PAYLOAD);
        long damaged = locations.get(2);
        flipByte(segmentPath(dir, 1), Locations.offset(damaged) + 100);

        assertCorruptAt(1, Locations.offset(damaged));
    }

    @Test
    void damagedLastRecordOfAnOlderSegmentIsNotATornTail() throws Exception {
        List<Long> locations = writeRecords(30, PAYLOAD);
        long lastOfFirst = locations.stream().filter(l -> Locations.segment(l) == 1).reduce((a, b) -> b).orElseThrow();
        flipByte(segmentPath(dir, 1), Locations.offset(lastOfFirst) + 100);

        assertCorruptAt(1, Locations.offset(lastOfFirst));
    }

    @Test
    void zeroedRecordHeaderInAnOlderSegmentStopsOpen() throws Exception {
        List<Long> locations = writeRecords(30, PAYLOAD);
        long damaged = locations.get(2);
        overwrite(segmentPath(dir, 1), Locations.offset(damaged), new byte[RecordFormat.RECORD_HEADER_SIZE]);

        assertCorruptAt(1, Locations.offset(damaged));
    }

    @Test
    void damagedRecordInTheNewestSegmentFollowedByRecordsBeyondABatchStopsOpen() throws Exception {
        List<Long> locations = writeRecords(10, 1000);
        long damaged = locations.get(1);
        flipByte(segmentPath(dir, 1), Locations.offset(damaged) + 50);

        assertCorruptAt(1, Locations.offset(damaged));
    }

    @Test
    void badSegmentHeaderStopsOpen() throws Exception {
        writeRecords(30, PAYLOAD);
        overwrite(segmentPath(dir, 2), 0, new byte[] {'J', 'U', 'N', 'K'});

        assertCorruptAt(2, 0);
    }

    @Test
    void segmentHeaderNamingAnotherSegmentStopsOpen() throws Exception {
        writeRecords(30, PAYLOAD);
        overwrite(segmentPath(dir, 2), 8, new byte[] {0, 0, 0, 0, 0, 0, 0, 9});

        assertCorruptAt(2, 0);
    }

    @Test
    void olderSegmentOfZerosStopsOpen() throws Exception {
        writeRecords(30, PAYLOAD);
        overwrite(segmentPath(dir, 1), 0, new byte[SEGMENT_SIZE]);

        assertCorruptAt(1, 0);
    }

    @Test
    void newestSegmentOfZerosIsAcceptedAndWrittenTo() throws Exception {
        writeRecords(3, 100);
        Files.write(segmentPath(dir, 2), new byte[SEGMENT_SIZE]);

        Opened opened = open(dir);
        try (Journal journal = opened.journal()) {
            assertThat(opened.records()).hasSize(3);
            assertThat(opened.stats().segments()).isEqualTo(2);
            assertThat(append(journal, payload(9, 10))).containsExactly(Locations.of(2, 16));
        }

        Opened again = reopen(dir);
        assertThat(again.records()).hasSize(4);
        assertThat(again.stats().truncatedBytes()).isZero();
    }

    private List<Long> writeRecords(int count, int size) throws Exception {
        List<Long> locations = new ArrayList<>();
        try (Journal journal = open(dir).journal()) {
            for (int i = 0; i < count; i++) {
                locations.addAll(append(journal, payload(i, size)));
            }
        }
        return locations;
    }

    private void assertCorruptAt(long segmentId, long offset) throws Exception {
        Path file = segmentPath(dir, segmentId);
        byte[] before = Files.readAllBytes(file);

        CorruptJournalException corrupt = catchThrowableOfType(CorruptJournalException.class, () -> open(dir));

        assertThat(corrupt).as("open of a corrupt journal").isNotNull();
        assertThat(corrupt.file()).isEqualTo(file);
        assertThat(corrupt.offset()).isEqualTo(offset);
        assertThat(corrupt.getMessage()).contains(file.toString(), "offset " + offset);
        assertThat(Files.readAllBytes(file)).as("the damaged file is left as it was").isEqualTo(before);
    }
}
