package io.junction.core.store.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The journal's single writer thread. It takes every queued task, lets each append its records
 * into one buffer, writes the buffer, forces it once (group commit: many producers, one fsync),
 * then tells each task the outcome.
 *
 * <p>If writing or forcing fails, every task of the batch fails, the bytes the batch wrote are
 * zeroed and segments it created are removed, so recovery never replays a record whose writer was
 * told it failed. The next batch tries again, so the journal recovers when space returns.
 */
final class JournalWriter implements JournalTask.Appender {

    private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);
    private static final int MAX_TASKS_PER_BATCH = 4096;
    /** Queued by stop() to wake the thread; the thread is never interrupted, as that closes FileChannels. */
    private static final JournalTask WAKE_UP = new JournalTask() {
        @Override
        public void write(Appender appender) {
        }

        @Override
        public void done(Throwable failure) {
        }
    };

    private final Journal journal;
    private final JournalOptions options;
    private final JournalFiles files;
    private final BlockingQueue<JournalTask> tasks = new LinkedBlockingQueue<>();
    private final ByteBuffer buffer;
    private final Thread thread;
    private final LongAdder forces = new LongAdder();
    private final LongAdder records = new LongAdder();
    private final List<JournalTask> batch = new ArrayList<>();

    // Confined to the writer thread.
    private long segmentId;
    private SegmentFile segment;
    /** File offset up to which the current segment has been written. */
    private int written;
    /** Where the data of the segment a batch started in ends, once the batch moved on to a new segment. */
    private int startSegmentEnd = -1;
    private long lastForce = System.nanoTime();
    private boolean dirty;
    private volatile boolean stopping;
    /** Set before the thread fails what is left in the queue; a task queued after that fails itself. */
    private volatile boolean closed;
    private volatile long currentSegment;

    JournalWriter(Journal journal, JournalOptions options, JournalFiles files, long lastSegmentId, int dataEnd) {
        this.journal = journal;
        this.options = options;
        this.files = files;
        this.segmentId = lastSegmentId;
        this.written = dataEnd;
        this.currentSegment = lastSegmentId;
        this.buffer = Journal.allocate(options.maxBatchBytes());
        this.thread = new Thread(this::run, "junction-journal");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void submit(JournalTask task) {
        if (stopping) {
            task.done(new IOException("journal is closed"));
            return;
        }
        tasks.add(task);
        if (closed && tasks.remove(task)) {
            task.done(new IOException("journal is closed"));
        }
    }

    long forces() {
        return forces.sum();
    }

    long recordsAppended() {
        return records.sum();
    }

    long currentSegment() {
        return currentSegment;
    }

    void stop() {
        stopping = true;
        tasks.add(WAKE_UP);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (!stopping || !tasks.isEmpty()) {
                JournalTask first;
                try {
                    first = nextTask();
                } catch (InterruptedException e) {
                    continue;
                }
                if (first != null && first != WAKE_UP) {
                    batch.add(first);
                    if (!first.exclusive()) {
                        // Only the writer takes from the queue, so what peek sees is what poll takes.
                        for (JournalTask next; batch.size() < MAX_TASKS_PER_BATCH
                                && (next = tasks.peek()) != null && !next.exclusive(); ) {
                            batch.add(tasks.poll());
                        }
                    }
                    batch.remove(WAKE_UP);
                    writeBatch();
                    batch.clear();
                }
                forceIfDue();
            }
            forceQuietly();
        } finally {
            closeSegment();
            closed = true;
            for (JournalTask left; (left = tasks.poll()) != null; ) {
                left.done(new IOException("journal is closed"));
            }
        }
    }

    private JournalTask nextTask() throws InterruptedException {
        if (options.fsync() == FsyncPolicy.INTERVAL && dirty) {
            long waitNanos = options.fsyncInterval().toNanos() - (System.nanoTime() - lastForce);
            return tasks.poll(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
        }
        return stopping ? tasks.poll() : tasks.take();
    }

    private void writeBatch() {
        long startSegment = segmentId;
        int startOffset = written;
        Throwable[] outcomes = new Throwable[batch.size()];
        IOException failure = null;
        try {
            if (segment == null) {
                openSegment();
                startSegment = segmentId;
                startOffset = written;
            }
            startSegmentEnd = -1;
            for (int i = 0; i < batch.size(); i++) {
                try {
                    batch.get(i).write(this);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                } catch (RuntimeException e) {
                    outcomes[i] = e;
                }
            }
            flush();
            if (options.fsync() == FsyncPolicy.ALWAYS) {
                force();
            }
        } catch (IOException e) {
            failure = e;
            undo(startSegment, startOffset);
        }
        for (int i = 0; i < batch.size(); i++) {
            Throwable outcome = failure != null ? failure : outcomes[i];
            try {
                batch.get(i).done(outcome);
            } catch (RuntimeException e) {
                log.error("Journal task completion failed", e);
            }
        }
    }

    // ---- Appender ----

    @Override
    public long append(byte type, ByteBuffer payload) {
        records.increment();
        int size = recordSize(payload.remaining());
        if (payload.remaining() > options.maxPayload()) {
            throw new IllegalArgumentException("record of " + payload.remaining()
                    + " bytes is larger than a journal segment allows (" + options.maxPayload() + ")");
        }
        try {
            reserveIo(size);
            if (size > buffer.capacity()) {
                flush();
                ByteBuffer large = ByteBuffer.allocate(size);
                RecordFormat.writeRecord(large, type, payload);
                long location = Locations.of(segmentId, written);
                write(large.flip());
                return location;
            }
            if (buffer.remaining() < size) {
                flush();
            }
            long location = Locations.of(segmentId, written + buffer.position());
            RecordFormat.writeRecord(buffer, type, payload);
            return location;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void reserve(int bytes) {
        try {
            reserveIo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int recordSize(int payloadSize) {
        return RecordFormat.RECORD_HEADER_SIZE + payloadSize;
    }

    private void reserveIo(int bytes) throws IOException {
        if (written + buffer.position() + bytes > options.segmentSize()) {
            flush();
            roll();
        }
    }

    // ---- segments ----

    private void openSegment() throws IOException {
        if (segmentId == 0 || written + RecordFormat.RECORD_HEADER_SIZE >= options.segmentSize()) {
            roll();
        } else {
            segment = files.open(journal.pathOf(segmentId));
        }
    }

    private void roll() throws IOException {
        if (segment != null && dirty && options.fsync() != FsyncPolicy.NEVER) {
            force();
        }
        if (startSegmentEnd < 0) {
            startSegmentEnd = written;
        }
        long next = segmentId + 1;
        Path temporary = journal.newPathOf(next);
        Path path = journal.pathOf(next);
        SegmentFile created = files.create(temporary, options.segmentSize());
        try {
            ByteBuffer header = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_SIZE);
            RecordFormat.writeSegmentHeader(header, next);
            created.write(header.flip(), 0);
            created.force();
            files.move(temporary, path);
        } catch (IOException e) {
            created.close();
            files.delete(temporary);
            throw e;
        }
        closeSegment();
        segment = created;
        segmentId = next;
        currentSegment = next;
        written = RecordFormat.SEGMENT_HEADER_SIZE;
        journal.added(next, path);
    }

    private void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        try {
            write(buffer);
        } finally {
            buffer.clear();
        }
    }

    /**
     * Writes at the end of the data. Under {@link FsyncPolicy#ALWAYS} the previous write is forced
     * first, so that a crash tears at most one write: the window recovery accepts as a torn tail.
     */
    private void write(ByteBuffer source) throws IOException {
        if (dirty && options.fsync() == FsyncPolicy.ALWAYS) {
            force();
        }
        int at = written;
        // Counted before writing: if the write fails part way, undo() zeroes what it may have left.
        written += source.remaining();
        dirty = true;
        segment.write(source, at);
    }

    private void force() throws IOException {
        segment.force();
        forces.increment();
        dirty = false;
        lastForce = System.nanoTime();
    }

    private void forceIfDue() {
        if (dirty && options.fsync() == FsyncPolicy.INTERVAL
                && System.nanoTime() - lastForce >= options.fsyncInterval().toNanos()) {
            forceQuietly();
        }
    }

    private void forceQuietly() {
        if (segment != null && dirty) {
            try {
                force();
            } catch (IOException e) {
                log.error("Journal fsync failed; writes since the last successful fsync may be lost on a crash", e);
            }
        }
    }

    /**
     * Takes back a failed batch: segments it created go, and the bytes it wrote into the segment
     * it started in are zeroed, so recovery cannot replay them.
     */
    private void undo(long startSegment, int startOffset) {
        buffer.clear();
        int end = segmentId > startSegment ? startSegmentEnd : written;
        try {
            while (segmentId > startSegment) {
                closeSegment();
                files.delete(journal.pathOf(segmentId));
                journal.removed(segmentId);
                segmentId--;
            }
            currentSegment = segmentId;
            if (segment == null && segmentId > 0) {
                segment = files.open(journal.pathOf(segmentId));
            }
            if (segment != null && end > startOffset) {
                segment.write(ByteBuffer.allocate(end - startOffset), startOffset);
                segment.force();
            }
        } catch (IOException e) {
            log.error("Journal could not take back a failed write; a restart replays at most that batch", e);
        }
        written = startOffset;
        dirty = false;
    }

    private void closeSegment() {
        if (segment != null) {
            try {
                segment.close();
            } catch (IOException e) {
                log.warn("Closing journal segment {} failed", segmentId, e);
            }
            segment = null;
        }
    }

    /** Carries an IOException through the Appender methods, which the tasks call. */
    private static final class UncheckedIOException extends RuntimeException {
        UncheckedIOException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
