package io.junction.core.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Small segments and batches, tasks that report their outcome, replay capture and on-disk surgery. */
final class JournalFixtures {

    static final int SEGMENT_SIZE = 64 * 1024;
    static final int BATCH_SIZE = 4 * 1024;
    static final byte TYPE = 7;
    static final Duration WAIT = Duration.ofSeconds(10);

    private JournalFixtures() {
    }

    static JournalOptions options(FsyncPolicy fsync) {
        return options(fsync, Duration.ofMillis(20));
    }

    static JournalOptions options(FsyncPolicy fsync, Duration fsyncInterval) {
        return new JournalOptions(SEGMENT_SIZE, fsync, fsyncInterval, BATCH_SIZE);
    }

    static JournalOptions options() {
        return options(FsyncPolicy.ALWAYS);
    }

    /** Deterministic, mostly non-zero bytes. */
    static byte[] payload(int seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        for (int i = 0; i < size; i++) {
            if (bytes[i] == 0) {
                bytes[i] = 1;
            }
        }
        return bytes;
    }

    /** Names a payload by its size and content hash, so that failed comparisons print short. */
    static String digest(byte[] payload) {
        return payload.length + "#" + Integer.toHexString(Arrays.hashCode(payload));
    }

    static List<String> digests(byte[]... payloads) {
        return Arrays.stream(payloads).map(JournalFixtures::digest).toList();
    }

    /** Bytes one record with this payload size occupies. */
    static int recordSize(int payloadSize) {
        return RecordFormat.RECORD_HEADER_SIZE + payloadSize;
    }

    static Path segmentPath(Path directory, long segmentId) {
        return directory.resolve(String.format("journal-%020d.seg", segmentId));
    }

    // ---- records ----

    record Rec(byte type, byte[] payload) {
    }

    record Replayed(long location, byte type, byte[] payload) {
    }

    /** A journal opened on a directory, with what its replay returned. */
    record Opened(Journal journal, Journal.ReplayStats stats, List<Replayed> records) {

        /** The replayed payloads' {@link #digest digests}. */
        List<String> payloads() {
            return records.stream().map(record -> digest(record.payload())).toList();
        }

        List<Long> locations() {
            return records.stream().map(Replayed::location).toList();
        }
    }

    static Opened open(Path directory, JournalOptions options, JournalFiles files)
            throws IOException, CorruptJournalException {
        List<Replayed> records = new ArrayList<>();
        Journal journal = new Journal(directory, options, files);
        Journal.ReplayStats stats = journal.open(collector(records));
        return new Opened(journal, stats, records);
    }

    static Opened open(Path directory, JournalOptions options) throws IOException, CorruptJournalException {
        return open(directory, options, JournalFiles.DISK);
    }

    static Opened open(Path directory) throws IOException, CorruptJournalException {
        return open(directory, options());
    }

    /** Opens, replays and closes; returns what was replayed. */
    static Opened reopen(Path directory) throws IOException, CorruptJournalException {
        Opened opened = open(directory);
        opened.journal().close();
        return opened;
    }

    static RecordHandler collector(List<Replayed> into) {
        return (location, type, payload) -> {
            byte[] copy = new byte[payload.remaining()];
            payload.duplicate().get(copy);
            into.add(new Replayed(location, type, copy));
        };
    }

    // ---- tasks ----

    /** Appends its records; {@link #result} completes with their locations, or the failure. */
    static class Append implements JournalTask {

        final List<Rec> records;
        final CompletableFuture<List<Long>> result = new CompletableFuture<>();
        private final List<Long> locations = new ArrayList<>();

        Append(List<Rec> records) {
            this.records = records;
        }

        static Append of(byte[]... payloads) {
            List<Rec> records = new ArrayList<>();
            for (byte[] payload : payloads) {
                records.add(new Rec(TYPE, payload));
            }
            return new Append(records);
        }

        @Override
        public void write(Appender appender) {
            for (Rec record : records) {
                locations.add(appender.append(record.type(), ByteBuffer.wrap(record.payload())));
            }
        }

        @Override
        public void done(Throwable failure) {
            if (failure == null) {
                result.complete(List.copyOf(locations));
            } else {
                result.completeExceptionally(failure);
            }
        }

        /** Waits for success; returns the records' locations. */
        List<Long> locations() throws Exception {
            return await(result);
        }

        /** The locations appended so far, for done() on the writer thread. */
        List<Long> appended() {
            return locations;
        }

        Throwable failure() throws Exception {
            try {
                List<Long> locations = await(result);
                throw new AssertionError("expected the task to fail, it wrote " + locations);
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }
    }

    static <T> T await(CompletableFuture<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Submits one task appending the payloads and waits for it to succeed; returns the locations. */
    static List<Long> append(Journal journal, byte[]... payloads) throws Exception {
        Append task = Append.of(payloads);
        journal.submit(task);
        return task.locations();
    }

    /**
     * Holds the writer thread inside its write() until opened, so that tasks queue up behind it.
     * It does not give up when interrupted (it keeps the interrupt for the code after it).
     */
    static final class Gate implements JournalTask {

        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch open = new CountDownLatch(1);

        @Override
        public void write(Appender appender) {
            entered.countDown();
            boolean interrupted = false;
            while (open.getCount() > 0) {
                try {
                    open.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void done(Throwable failure) {
        }

        void awaitEntered() throws InterruptedException {
            entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        void open() {
            open.countDown();
        }
    }

    /** Submits the tasks so that the writer takes them as one batch. */
    static void submitAsOneBatch(Journal journal, JournalTask... tasks) throws InterruptedException {
        Gate gate = new Gate();
        journal.submit(gate);
        gate.awaitEntered();
        for (JournalTask task : tasks) {
            journal.submit(task);
        }
        gate.open();
    }

    // ---- on-disk surgery ----

    static void overwrite(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer source = ByteBuffer.wrap(bytes);
            while (source.hasRemaining()) {
                channel.write(source, position + source.position());
            }
        }
    }

    static byte[] read(Path file, long position, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer target = ByteBuffer.allocate(length);
            int read = 0;
            while (target.hasRemaining() && read >= 0) {
                read = channel.read(target, position + target.position());
            }
            return target.array();
        }
    }

    static void flipByte(Path file, long position) throws IOException {
        byte[] current = read(file, position, 1);
        overwrite(file, position, new byte[] {(byte) (current[0] ^ 0x5A)});
    }

    static boolean isZero(Path file, long from, long to) throws IOException {
        for (byte b : read(file, from, (int) (to - from))) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
