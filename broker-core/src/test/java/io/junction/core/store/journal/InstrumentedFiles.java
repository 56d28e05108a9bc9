package io.junction.core.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link JournalFiles#DISK} with injected faults and a record of what was written and forced,
 * per segment. Record writes are writes past the segment header.
 */
final class InstrumentedFiles extends ForwardingJournalFiles {

    static final long ANY_SEGMENT = -1;

    private final AtomicInteger forces = new AtomicInteger();
    private final AtomicInteger writesOverUnforcedData = new AtomicInteger();
    private final Map<Long, Long> writtenEnd = new ConcurrentHashMap<>();
    private final Map<Long, Long> forcedEnd = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> unforced = new ConcurrentHashMap<>();

    private volatile boolean failCreates;
    private final AtomicInteger writeFailures = new AtomicInteger();
    private volatile long writeFailureSegment = ANY_SEGMENT;
    private volatile boolean partialWriteFailures;
    private final AtomicInteger forceFailures = new AtomicInteger();

    InstrumentedFiles() {
        super(DISK);
    }

    /** Every create() fails like a full disk until called with false. */
    void failCreates(boolean fail) {
        failCreates = fail;
    }

    /** The next {@code count} record writes to the segment fail, after writing half their bytes if partial. */
    void failRecordWrites(int count, long segmentId, boolean partial) {
        writeFailureSegment = segmentId;
        partialWriteFailures = partial;
        writeFailures.set(count);
    }

    void failForces(int count) {
        forceFailures.set(count);
    }

    int forces() {
        return forces.get();
    }

    /** How far the segment had been written when it was last forced. */
    long forcedEnd(long segmentId) {
        return forcedEnd.getOrDefault(segmentId, 0L);
    }

    /** Record writes that started while an earlier write to the same segment was not yet forced. */
    int writesOverUnforcedData() {
        return writesOverUnforcedData.get();
    }

    @Override
    protected SegmentFile wrap(Path path, SegmentFile file) {
        return new Instrumented(file, idOf(path));
    }

    @Override
    public SegmentFile create(Path path, long size) throws IOException {
        if (failCreates) {
            throw new IOException("No space left on device (injected)");
        }
        return super.create(path, size);
    }

    private static long idOf(Path path) {
        String name = path.getFileName().toString();
        return Long.parseLong(name.substring("journal-".length(), name.lastIndexOf('.')));
    }

    private boolean takeWriteFailure(long segmentId) {
        long target = writeFailureSegment;
        return (target == ANY_SEGMENT || target == segmentId)
                && writeFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private final class Instrumented extends ForwardingSegmentFile {

        private final long id;

        Instrumented(SegmentFile file, long id) {
            super(file);
            this.id = id;
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            if (position >= RecordFormat.SEGMENT_HEADER_SIZE) {
                if (takeWriteFailure(id)) {
                    if (partialWriteFailures) {
                        ByteBuffer half = source.duplicate();
                        half.limit(half.position() + half.remaining() / 2);
                        super.write(half, position);
                    }
                    throw new IOException("Input/output error (injected)");
                }
                if (unforced.containsKey(id)) {
                    writesOverUnforcedData.incrementAndGet();
                }
                unforced.put(id, true);
            }
            long end = position + source.remaining();
            super.write(source, position);
            writtenEnd.merge(id, end, Math::max);
        }

        @Override
        public void force() throws IOException {
            if (forceFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IOException("fsync failed (injected)");
            }
            super.force();
            forces.incrementAndGet();
            forcedEnd.put(id, writtenEnd.getOrDefault(id, 0L));
            unforced.remove(id);
        }
    }
}
