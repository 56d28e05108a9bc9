package io.junction.core.store.journal;

import static io.junction.core.store.journal.JournalFixtures.append;
import static io.junction.core.store.journal.JournalFixtures.digest;
import static io.junction.core.store.journal.JournalFixtures.flipByte;
import static io.junction.core.store.journal.JournalFixtures.open;
import static io.junction.core.store.journal.JournalFixtures.payload;
import static io.junction.core.store.journal.JournalFixtures.segmentPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading one record back by its location, as a consumer's message is loaded from the journal. */
class ReadRecordTest {

    @TempDir
    Path dir;

    @Test
    void readsRecordsOfClosedAndCurrentSegments() throws Exception {
        try (Journal journal = open(dir).journal()) {
            List<Long> locations = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                locations.addAll(append(journal, payload(i, 4000)));
            }
            assertThat(Locations.segment(locations.get(29))).isGreaterThan(1);

            for (int i : new int[] {0, 15, 29}) {
                assertThat(digest(bytes(journal.readRecord(locations.get(i))))).isEqualTo(digest(payload(i, 4000)));
            }
        }
    }

    @Test
    void readsRecordsReplayedFromAnEarlierRun() throws Exception {
        long location;
        try (Journal journal = open(dir).journal()) {
            location = append(journal, payload(1, 10), payload(2, 0)).get(1);
        }

        try (Journal journal = open(dir).journal()) {
            assertThat(journal.readRecord(location).remaining()).isZero();
        }
    }

    @Test
    void damagedRecordFailsToRead() throws Exception {
        try (Journal journal = open(dir).journal()) {
            long location = append(journal, payload(1, 100)).get(0);
            flipByte(segmentPath(dir, 1), Locations.offset(location) + 50);

            assertThatThrownBy(() -> journal.readRecord(location)).isInstanceOf(IOException.class)
                    .hasMessageContaining("checksum");
        }
    }

    @Test
    void locationInAnUnknownSegmentFailsToRead() throws Exception {
        try (Journal journal = open(dir).journal()) {
            append(journal, payload(1, 100));

            assertThatThrownBy(() -> journal.readRecord(Locations.of(7, 16))).isInstanceOf(IOException.class);
        }
    }

    private static byte[] bytes(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return bytes;
    }
}
