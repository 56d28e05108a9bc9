package io.junction.bench;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.store.MessageStore;
import io.junction.core.store.QueueDefinition;
import io.junction.core.store.journal.ForwardingJournalFiles;
import io.junction.core.store.journal.ForwardingSegmentFile;
import io.junction.core.store.journal.FsyncPolicy;
import io.junction.core.store.journal.JournalFiles;
import io.junction.core.store.journal.JournalOptions;
import io.junction.core.store.journal.SegmentFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Case 5: the store's group commit on a simulated disk that does {@value #SIMULATED_FSYNC_RATE}
 * fsyncs per second, the disk issue 3's targets were set for. A {@link MessageStore} opened
 * directly (no broker, no network, no STOMP) on the real disk, with {@code fsync: always}, through
 * a {@link JournalFiles} whose {@link SegmentFile#force()} does the real force and then sleeps the
 * rest of 1/720 s. 1, 4 and 16 threads each store persistent 1 KB messages one at a time, waiting
 * for each {@code addMessage} future (so for its fsync) before the next.
 */
final class SlowDiskGroupCommit {

    static final int SIMULATED_FSYNC_RATE = 720;
    static final int BODY_SIZE = 1024;
    private static final long FORCE_NANOS = Math.round(1e9 / SIMULATED_FSYNC_RATE);
    private static final Duration RAMP_UP = Duration.ofMillis(500);
    private static final Duration JIT_WARM_UP = Duration.ofSeconds(1);

    /**
     * One run: {@code forceMillis} is the mean duration of a (simulated) force during the window,
     * {@code realForceMillis} the part of it the real disk took.
     */
    record Result(int producers, double seconds, long messages, long forces, long records, double forceMillis,
                  double realForceMillis) {

        double rate() {
            return messages / seconds;
        }

        double perFsync() {
            return forces == 0 ? Double.NaN : (double) records / forces;
        }

        double forcesPerSecond() {
            return forces / seconds;
        }
    }

    private SlowDiskGroupCommit() {
    }

    /** One unmeasured 16-thread run for the JIT, then a measured run per producer count, on one store. */
    static List<Result> run(Path directory, int[] producerCounts, Duration window) throws Exception {
        SlowDisk disk = new SlowDisk();
        List<Result> results = new ArrayList<>();
        try (MessageStore store = MessageStore.open(directory, new JournalOptions(32 * 1024 * 1024,
                FsyncPolicy.ALWAYS, Duration.ofMillis(100), 1024 * 1024), disk, 50)) {
            store.addQueue(new QueueDefinition(1, "q", null, null)).join();
            AtomicLong ids = new AtomicLong(store.maxMessageId());
            once(store, disk, ids, 16, JIT_WARM_UP);
            for (int producers : producerCounts) {
                results.add(once(store, disk, ids, producers, window));
            }
        }
        return results;
    }

    private static Result once(MessageStore store, SlowDisk disk, AtomicLong ids, int producers, Duration window)
            throws Exception {
        LongAdder stored = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<LoadThread> threads = new ArrayList<>();
        for (int i = 0; i < producers; i++) {
            threads.add(new LoadThread("store-" + i, stop, () -> {
                Message message = Message.builder(Destination.queue("q")).persistent(true)
                        .body(BodyType.BYTES, new byte[BODY_SIZE]).build();
                message.assignBrokerId(ids.incrementAndGet());
                store.addMessage(message, new long[]{1}).get();
                stored.increment();
            }));
        }
        threads.forEach(Thread::start);
        Thread.sleep(RAMP_UP.toMillis());
        long messages0 = stored.sum();
        long forces0 = store.journalForces();
        long records0 = store.journalRecords();
        long diskForces0 = disk.forces.sum();
        long diskNanos0 = disk.forceNanos.sum();
        long realNanos0 = disk.realForceNanos.sum();
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        long messages1 = stored.sum();
        long forces1 = store.journalForces();
        long records1 = store.journalRecords();
        long diskForces1 = disk.forces.sum();
        long diskNanos1 = disk.forceNanos.sum();
        long realNanos1 = disk.realForceNanos.sum();
        long end = System.nanoTime();
        stop.set(true);
        for (LoadThread thread : threads) {
            thread.join();
            thread.check();
        }
        long diskForces = Math.max(1, diskForces1 - diskForces0);
        return new Result(producers, (end - start) / 1e9, messages1 - messages0, forces1 - forces0,
                records1 - records0, (diskNanos1 - diskNanos0) / 1e6 / diskForces,
                (realNanos1 - realNanos0) / 1e6 / diskForces);
    }

    /** The real files, with every segment force stretched to 1/720 s (the real force, then a sleep for the rest). */
    private static final class SlowDisk extends ForwardingJournalFiles {

        final LongAdder forces = new LongAdder();
        final LongAdder forceNanos = new LongAdder();
        final LongAdder realForceNanos = new LongAdder();

        SlowDisk() {
            super(DISK);
        }

        @Override
        protected SegmentFile wrap(Path path, SegmentFile file) {
            return new SlowSegment(file);
        }

        private final class SlowSegment extends ForwardingSegmentFile {

            SlowSegment(SegmentFile file) {
                super(file);
            }

            @Override
            public void force() throws IOException {
                long start = System.nanoTime();
                super.force();
                long real = System.nanoTime() - start;
                long deadline = start + FORCE_NANOS;
                // parkNanos may wake early (spuriously) and usually wakes ~50-100 us late; the
                // measured mean force time is reported next to the results.
                for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
                forces.increment();
                realForceNanos.add(real);
                forceNanos.add(System.nanoTime() - start);
            }
        }
    }
}
