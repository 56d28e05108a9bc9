package io.junction.core.store;

import io.junction.core.store.journal.ForwardingJournalFiles;
import io.junction.core.store.journal.ForwardingSegmentFile;
import io.junction.core.store.journal.JournalFiles;
import io.junction.core.store.journal.SegmentFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link JournalFiles#DISK} with a switch that makes the disk full: while it is on, creating a
 * segment fails as ENOSPC does and, if asked, so does writing into an existing one (as on a
 * copy-on-write file system, where even preallocated blocks need new space).
 */
final class DiskFullFiles extends ForwardingJournalFiles {

    static final String NO_SPACE = "No space left on device";

    private volatile boolean full;
    private volatile boolean writesFailToo;
    private final AtomicInteger refusals = new AtomicInteger();

    DiskFullFiles() {
        super(DISK);
    }

    /** Creating segments fails from now until {@link #spaceReturns()}. */
    void fill() {
        full = true;
    }

    /** Creating segments and writing into them fail from now until {@link #spaceReturns()}. */
    void fillIncludingWrites() {
        full = true;
        writesFailToo = true;
    }

    void spaceReturns() {
        full = false;
        writesFailToo = false;
    }

    /** How many file operations were refused for lack of space, so a test can show the fault was hit. */
    int refusals() {
        return refusals.get();
    }

    @Override
    protected SegmentFile wrap(Path path, SegmentFile file) {
        return new Segment(file);
    }

    @Override
    public SegmentFile create(Path path, long size) throws IOException {
        if (full) {
            throw noSpace();
        }
        return super.create(path, size);
    }

    @Override
    public long usableSpace(Path directory) throws IOException {
        return full ? 0 : super.usableSpace(directory);
    }

    private IOException noSpace() {
        refusals.incrementAndGet();
        return new IOException(NO_SPACE);
    }

    private final class Segment extends ForwardingSegmentFile {

        Segment(SegmentFile file) {
            super(file);
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            if (writesFailToo) {
                throw noSpace();
            }
            super.write(source, position);
        }
    }
}
