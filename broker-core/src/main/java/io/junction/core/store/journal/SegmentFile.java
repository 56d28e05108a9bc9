package io.junction.core.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One journal segment file, as the journal sees it. The seam where tests inject IO failures
 * (a full disk, a failing fsync) without a real device.
 */
public interface SegmentFile extends AutoCloseable {

    /** Writes all remaining bytes of {@code source} at {@code position}. */
    void write(ByteBuffer source, long position) throws IOException;

    /** Reads up to {@code target.remaining()} bytes at {@code position}; returns the count, -1 at end. */
    int read(ByteBuffer target, long position) throws IOException;

    /** Makes every write so far durable (fdatasync: the file is preallocated, so no metadata changes). */
    void force() throws IOException;

    long size() throws IOException;

    @Override
    void close() throws IOException;
}
