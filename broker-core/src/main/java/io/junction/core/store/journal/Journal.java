package io.junction.core.store.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An append-only log of typed records in fixed-size, preallocated segment files
 * ({@code journal-<id>.seg}), written by one thread in batches with one fsync per batch.
 *
 * <p>Life cycle: {@link #open(RecordHandler)} replays every record in order (repairing a torn
 * tail of the newest segment, refusing corruption elsewhere), then starts the writer;
 * {@link #submit(JournalTask)} queues work for it; {@link #close()} drains and stops it.
 */
public final class Journal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    static final String PREFIX = "journal-";
    static final String SUFFIX = ".seg";
    static final String NEW_SUFFIX = ".new";

    private final Path directory;
    private final JournalOptions options;
    private final JournalFiles files;
    private final NavigableMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    /** Read handles for {@link #readRecord(long)}, opened on first use. */
    private final Map<Long, SegmentFile> readers = new ConcurrentHashMap<>();
    private JournalWriter writer;

    public Journal(Path directory, JournalOptions options, JournalFiles files) {
        this.directory = directory;
        this.options = options;
        this.files = files;
    }

    /** What a replay found. */
    public record ReplayStats(int segments, long records, long bytes, long truncatedBytes) {
    }

    public ReplayStats open(RecordHandler handler) throws IOException, CorruptJournalException {
        Files.createDirectories(directory);
        for (Path file : files.list(directory)) {
            String name = file.getFileName().toString();
            if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
                segments.put(idOf(name), file);
            } else if (name.endsWith(NEW_SUFFIX)) {
                // A segment being created when the broker stopped; it never held records.
                files.delete(file);
            }
        }
        JournalReplayer replayer = new JournalReplayer(files, options);
        long records = 0;
        long bytes = 0;
        long truncated = 0;
        int end = RecordFormat.SEGMENT_HEADER_SIZE;
        for (Map.Entry<Long, Path> segment : segments.entrySet()) {
            boolean newest = segment.getKey().equals(segments.lastKey());
            JournalReplayer.Result result = replayer.replay(segment.getKey(), segment.getValue(), newest, handler);
            records += result.records();
            bytes += result.dataEnd();
            truncated += result.truncatedBytes();
            end = result.dataEnd();
        }
        long lastId = segments.isEmpty() ? 0 : segments.lastKey();
        writer = new JournalWriter(this, options, files, lastId, end);
        writer.start();
        return new ReplayStats(segments.size(), records, bytes, truncated);
    }

    public void submit(JournalTask task) {
        writer.submit(task);
    }

    /**
     * Reads every record of a closed segment. For compaction, on the writer thread (inside a
     * task), so that nothing appends to what is being read.
     */
    public void read(long segmentId, RecordHandler handler) throws IOException, CorruptJournalException {
        Path path = segments.get(segmentId);
        if (path == null) {
            throw new IOException("no journal segment " + segmentId);
        }
        new JournalReplayer(files, options).replay(segmentId, path, false, handler);
    }

    /**
     * Reads the payload of the record at {@code location}, checking its CRC. Any thread; the
     * record must have been written (its task done).
     */
    public ByteBuffer readRecord(long location) throws IOException {
        long segmentId = Locations.segment(location);
        SegmentFile file = readers.get(segmentId);
        if (file == null) {
            Path path = segments.get(segmentId);
            if (path == null) {
                throw new IOException("no journal segment " + segmentId + " for record at " + Locations.describe(location));
            }
            synchronized (readers) {
                file = readers.get(segmentId);
                if (file == null) {
                    file = files.open(path);
                    readers.put(segmentId, file);
                }
            }
        }
        int offset = Locations.offset(location);
        ByteBuffer header = ByteBuffer.allocate(RecordFormat.RECORD_HEADER_SIZE);
        readFully(file, header, offset);
        int length = header.getInt(0);
        byte type = header.get(4);
        if (length < 0 || length > options.maxPayload()) {
            throw new IOException("bad record length " + length + " at " + Locations.describe(location));
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(file, payload, offset + RecordFormat.RECORD_HEADER_SIZE);
        payload.flip();
        if (RecordFormat.crc(type, payload) != header.getInt(5)) {
            throw new IOException("checksum mismatch reading the record at " + Locations.describe(location));
        }
        return payload;
    }

    private static void readFully(SegmentFile file, ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int read = file.read(target, at);
            if (read < 0) {
                throw new IOException("unexpected end of journal segment at offset " + at);
            }
            at += read;
        }
    }

    /** Deletes a segment none of whose records are needed any more. On the writer thread. */
    public void delete(long segmentId) throws IOException {
        if (segmentId == writer.currentSegment()) {
            throw new IllegalStateException("cannot delete the segment being written");
        }
        closeReader(segmentId);
        Path path = segments.get(segmentId);
        if (path != null) {
            // The file first: if that fails the journal still knows the segment and can retry.
            files.delete(path);
            segments.remove(segmentId);
        }
    }

    private void closeReader(long segmentId) {
        SegmentFile reader;
        synchronized (readers) {
            reader = readers.remove(segmentId);
        }
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                log.warn("Closing journal segment {} failed", segmentId, e);
            }
        }
    }

    /** Segment ids, oldest first. */
    public List<Long> segmentIds() {
        return new ArrayList<>(segments.keySet());
    }

    public long currentSegment() {
        return writer.currentSegment();
    }

    /** Times the writer forced the journal to disk since it opened (for measuring group commit). */
    public long forces() {
        return writer.forces();
    }

    /** Records appended since the journal opened. */
    public long recordsAppended() {
        return writer.recordsAppended();
    }

    /** Bytes the journal occupies on disk. */
    public long diskUsage() {
        return (long) segments.size() * options.segmentSize();
    }

    public JournalOptions options() {
        return options;
    }

    public Path directory() {
        return directory;
    }

    /** Finishes the queued work, forces it, closes the files. */
    @Override
    public void close() {
        if (writer != null) {
            writer.stop();
        }
        for (Long segmentId : new ArrayList<>(readers.keySet())) {
            closeReader(segmentId);
        }
    }

    // ---- for the writer ----

    Path pathOf(long segmentId) {
        return directory.resolve(String.format("%s%020d%s", PREFIX, segmentId, SUFFIX));
    }

    Path newPathOf(long segmentId) {
        return directory.resolve(String.format("%s%020d%s", PREFIX, segmentId, NEW_SUFFIX));
    }

    void added(long segmentId, Path path) {
        segments.put(segmentId, path);
    }

    void removed(long segmentId) {
        segments.remove(segmentId);
    }

    private static long idOf(String name) throws IOException {
        try {
            return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            throw new IOException("unexpected file in the journal directory: " + name);
        }
    }

    static void logTruncation(Path file, int offset, int bytes, String reason) {
        log.warn("Journal {}: dropped a damaged tail of {} bytes at offset {} ({}); it was the last write before "
                + "the broker stopped, torn by the crash, so its senders were never acknowledged", file, bytes, offset,
                reason);
    }

    static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size);
    }
}
