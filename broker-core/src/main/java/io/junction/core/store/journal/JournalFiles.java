package io.junction.core.store.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The file operations the journal needs, behind an interface so tests can make them fail. */
public interface JournalFiles {

    /** Opens an existing segment for reading and writing. */
    SegmentFile open(Path path) throws IOException;

    /**
     * Creates a segment of exactly {@code size} bytes, zero-filled and forced to disk, so that later
     * appends never allocate blocks: a full disk then shows up here, when a segment is made, and
     * never in the middle of writing records.
     */
    SegmentFile create(Path path, long size) throws IOException;

    /** Atomically renames (within the journal directory). */
    void move(Path from, Path to) throws IOException;

    void delete(Path path) throws IOException;

    /** Regular files in the directory, any order. */
    List<Path> list(Path directory) throws IOException;

    /** Usable bytes left on the file system of the directory. */
    long usableSpace(Path directory) throws IOException;

    /** The real file system. */
    JournalFiles DISK = new DiskJournalFiles();
}
