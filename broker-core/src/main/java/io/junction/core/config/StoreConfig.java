package io.junction.core.config;

import io.junction.core.store.journal.FsyncPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code store} section: the journal under {@code <dataDirectory>/journal} that keeps persistent
 * messages, and how much disk it and the page files may use.
 *
 * @param fsync               when journal writes are forced to disk; under {@link FsyncPolicy#ALWAYS} producers
 *                            are acknowledged only after their batch is forced
 * @param fsyncInterval       the period between forces under {@link FsyncPolicy#INTERVAL}; unused otherwise
 * @param segmentSize         bytes of each pre-allocated journal segment file
 * @param compactBelowPercent a segment whose live records take less than this share of it is compacted
 * @param maxDiskUsage        journal and page file bytes allowed, or {@link #NO_DISK_LIMIT}
 * @param diskFullPolicy      what producers of persistent messages get when {@code maxDiskUsage} is reached
 *                            or the disk is full
 */
public record StoreConfig(FsyncPolicy fsync, Duration fsyncInterval, long segmentSize, int compactBelowPercent,
                          long maxDiskUsage, DiskFullPolicy diskFullPolicy) {

    public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofMillis(100);
    public static final Duration MIN_FSYNC_INTERVAL = Duration.ofMillis(1);
    public static final long DEFAULT_SEGMENT_SIZE = 32L * 1024 * 1024;
    public static final long MIN_SEGMENT_SIZE = 1024L * 1024;
    public static final long MAX_SEGMENT_SIZE = 1024L * 1024 * 1024;
    public static final int DEFAULT_COMPACT_BELOW_PERCENT = 50;
    public static final int MIN_COMPACT_BELOW_PERCENT = 1;
    /** Above this, compaction would rewrite nearly-full segments over and over for little gain. */
    public static final int MAX_COMPACT_BELOW_PERCENT = 90;
    /** {@code maxDiskUsage} that leaves only the disk itself as the limit. */
    public static final long NO_DISK_LIMIT = 0;

    public static final StoreConfig DEFAULTS = new StoreConfig(FsyncPolicy.ALWAYS, DEFAULT_FSYNC_INTERVAL,
            DEFAULT_SEGMENT_SIZE, DEFAULT_COMPACT_BELOW_PERCENT, NO_DISK_LIMIT, DiskFullPolicy.BLOCK);

    public StoreConfig {
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(fsyncInterval, "fsyncInterval");
        if (fsyncInterval.compareTo(MIN_FSYNC_INTERVAL) < 0) {
            throw new IllegalArgumentException("fsyncInterval must be at least 1ms, was " + fsyncInterval);
        }
        if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
            throw new IllegalArgumentException("segmentSize must be 1MB to 1GB, was " + segmentSize);
        }
        if (compactBelowPercent < MIN_COMPACT_BELOW_PERCENT || compactBelowPercent > MAX_COMPACT_BELOW_PERCENT) {
            throw new IllegalArgumentException("compactBelowPercent must be 1 to 90, was " + compactBelowPercent);
        }
        if (maxDiskUsage != NO_DISK_LIMIT && maxDiskUsage < segmentSize) {
            throw new IllegalArgumentException("maxDiskUsage must be 0 (no limit) or at least the segment size "
                    + segmentSize + ", was " + maxDiskUsage);
        }
        Objects.requireNonNull(diskFullPolicy, "diskFullPolicy");
    }
}
