package io.junction.core.store;

import io.junction.core.store.journal.JournalFiles;
import io.junction.core.store.journal.SegmentFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link JournalFiles#DISK} with a switch that makes the disk full: while it is on, creating a
 * segment fails as ENOSPC does and, if asked, so does writing into an existing one (as on a
 * copy-on-write file system, where even preallocated blocks need new space).
 */
final class DiskFullFiles implements JournalFiles {

    static final String NO_SPACE = "No space left on device";

    private volatile boolean full;
    private volatile boolean writesFailToo;
    private final AtomicInteger refusals = new AtomicInteger();

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
    public SegmentFile open(Path path) throws IOException {
        return new Segment(DISK.open(path));
    }

    @Override
    public SegmentFile create(Path path, long size) throws IOException {
        if (full) {
            throw noSpace();
        }
        return new Segment(DISK.create(path, size));
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        DISK.move(from, to);
    }

    @Override
    public void delete(Path path) throws IOException {
        DISK.delete(path);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        return DISK.list(directory);
    }

    @Override
    public long usableSpace(Path directory) throws IOException {
        return full ? 0 : DISK.usableSpace(directory);
    }

    private IOException noSpace() {
        refusals.incrementAndGet();
        return new IOException(NO_SPACE);
    }

    private final class Segment implements SegmentFile {

        private final SegmentFile file;

        Segment(SegmentFile file) {
            this.file = file;
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            if (writesFailToo) {
                throw noSpace();
            }
            file.write(source, position);
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            return file.read(target, position);
        }

        @Override
        public void force() throws IOException {
            file.force();
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
