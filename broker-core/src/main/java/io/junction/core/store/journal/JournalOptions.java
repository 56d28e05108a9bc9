package io.junction.core.store.journal;

import java.time.Duration;

/**
 * @param segmentSize   bytes per segment file; also bounds the largest record
 * @param fsync         when writes are forced to disk
 * @param fsyncInterval the period under {@link FsyncPolicy#INTERVAL}
 * @param maxBatchBytes how much one group commit writes at most before forcing
 */
public record JournalOptions(int segmentSize, FsyncPolicy fsync, Duration fsyncInterval, int maxBatchBytes) {

    public JournalOptions {
        if (segmentSize < 64 * 1024) {
            throw new IllegalArgumentException("segment size must be at least 64KB, was " + segmentSize);
        }
        if (maxBatchBytes < 4096 || maxBatchBytes > segmentSize) {
            throw new IllegalArgumentException("batch size must be 4KB to the segment size, was " + maxBatchBytes);
        }
    }

    /** Largest payload one record can carry. */
    public int maxPayload() {
        return segmentSize - RecordFormat.SEGMENT_HEADER_SIZE - RecordFormat.RECORD_HEADER_SIZE;
    }
}
