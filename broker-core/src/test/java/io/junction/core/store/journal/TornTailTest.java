package io.junction.core.store.journal;

import static io.junction.core.store.journal.JournalFixtures.BATCH_SIZE;
import static io.junction.core.store.journal.JournalFixtures.SEGMENT_SIZE;
import static io.junction.core.store.journal.JournalFixtures.append;
import static io.junction.core.store.journal.JournalFixtures.digests;
import static io.junction.core.store.journal.JournalFixtures.flipByte;
import static io.junction.core.store.journal.JournalFixtures.isZero;
import static io.junction.core.store.journal.JournalFixtures.open;
import static io.junction.core.store.journal.JournalFixtures.overwrite;
import static io.junction.core.store.journal.JournalFixtures.payload;
import static io.junction.core.store.journal.JournalFixtures.recordSize;
import static io.junction.core.store.journal.JournalFixtures.reopen;
import static io.junction.core.store.journal.JournalFixtures.segmentPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.store.journal.JournalFixtures.Opened;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A damaged end of the newest segment, as a crash in the middle of a write leaves it, is cut off:
 * the records before it replay, its bytes are zeroed, and the journal carries on from there.
 */
class TornTailTest {

    private static final int PAYLOAD = 500;
    private static final int GOOD = 4;

    @TempDir
    Path dir;

    /** Ways the last record of the newest segment can be left behind. */
    enum Damage {
        PAYLOAD_END_ZEROED {
            @Override
            void apply(Path file, int offset, int size) throws IOException {
                overwrite(file, offset + size - 50, new byte[50]);
            }
        },
        HEADER_ZEROED {
            @Override
            void apply(Path file, int offset, int size) throws IOException {
                overwrite(file, offset, new byte[RecordFormat.RECORD_HEADER_SIZE]);
            }
        },
        PAYLOAD_BYTE_FLIPPED {
            @Override
            void apply(Path file, int offset, int size) throws IOException {
                flipByte(file, offset + RecordFormat.RECORD_HEADER_SIZE + 123);
            }
        },
        LENGTH_CHANGED {
            @Override
            void apply(Path file, int offset, int size) throws IOException {
                flipByte(file, offset + 3);
            }
        },
        PARTIAL_HEADER_AFTER_IT {
            @Override
            void apply(Path file, int offset, int size) throws IOException {
                overwrite(file, offset + size, new byte[] {0, 0, 1, (byte) 0xF4, 7});
            }
        };

        abstract void apply(Path file, int offset, int size) throws IOException;
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void tornLastRecordIsCutOffAndTheJournalCarriesOn(Damage damage) throws Exception {
        List<byte[]> written = writeRecords(GOOD + 1);
        int lastOffset = 16 + GOOD * recordSize(PAYLOAD);
        damage.apply(segment(), lastOffset, recordSize(PAYLOAD));

        int cutAt = damage == Damage.PARTIAL_HEADER_AFTER_IT ? lastOffset + recordSize(PAYLOAD) : lastOffset;
        List<byte[]> kept = written.subList(0, damage == Damage.PARTIAL_HEADER_AFTER_IT ? GOOD + 1 : GOOD);
        assertRepairedAndCarriesOn(kept, cutAt);
    }

    @Test
    void damagedRecordInTheLastBatchCutsOffTheRestOfThatBatch() throws Exception {
        List<byte[]> written = writeRecords(GOOD);
        byte[][] lastBatch = {payload(10, 300), payload(11, 300), payload(12, 300)};
        try (Journal journal = open(dir).journal()) {
            append(journal, lastBatch);
        }
        int damagedOffset = 16 + GOOD * recordSize(PAYLOAD);
        flipByte(segment(), damagedOffset + 20);

        assertRepairedAndCarriesOn(written, damagedOffset);
    }

    @Test
    void tornRecordLargerThanABatchIsATornTail() throws Exception {
        List<byte[]> written = writeRecords(GOOD);
        try (Journal journal = open(dir).journal()) {
            append(journal, payload(10, 3 * BATCH_SIZE));
        }
        int largeOffset = 16 + GOOD * recordSize(PAYLOAD);
        overwrite(segment(), largeOffset + BATCH_SIZE, new byte[4096]);

        assertRepairedAndCarriesOn(written, largeOffset);
    }

    @Test
    void garbageAfterTheLastRecordWithinABatchIsCutOff() throws Exception {
        List<byte[]> written = writeRecords(GOOD);
        int end = 16 + GOOD * recordSize(PAYLOAD);
        overwrite(segment(), end + 1000, payload(99, 200));

        assertRepairedAndCarriesOn(written, end);
    }

    private List<byte[]> writeRecords(int count) throws Exception {
        List<byte[]> written = new ArrayList<>();
        try (Journal journal = open(dir).journal()) {
            for (int i = 0; i < count; i++) {
                written.add(payload(i, PAYLOAD));
                append(journal, written.get(i));
            }
        }
        return written;
    }

    private Path segment() {
        return segmentPath(dir, 1);
    }

    private void assertRepairedAndCarriesOn(List<byte[]> kept, int cutAt) throws Exception {
        byte[] next = payload(50, 77);
        Opened repaired = open(dir);
        try (Journal journal = repaired.journal()) {
            assertThat(repaired.payloads()).isEqualTo(digests(kept.toArray(byte[][]::new)));
            assertThat(repaired.stats().truncatedBytes()).isPositive();
            assertThat(isZero(segment(), cutAt, SEGMENT_SIZE)).as("zeroed from %d", cutAt).isTrue();

            assertThat(append(journal, next)).containsExactly(Locations.of(1, cutAt));
        }

        Opened again = reopen(dir);
        List<byte[]> all = new ArrayList<>(kept);
        all.add(next);
        assertThat(again.payloads()).isEqualTo(digests(all.toArray(byte[][]::new)));
        assertThat(again.stats().truncatedBytes()).isZero();
        assertThat(again.stats().segments()).isEqualTo(1);
    }
}
